// rtfeat node: runs one node of the job until Ctrl-C, or with --drain until the
// input seen at start is consumed and written to Redis at the final watermark.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "caf/all.hpp"
#include "actors/atoms.hpp"
#include "actors/job_graph.hpp"
#include "actors/message_types.hpp"
#include "cmd/cluster_node.hpp"
#include "cmd/cluster_transport.hpp"
#include "cmd/commands.hpp"
#include "cmd/metrics_server.hpp"
#include "cmd/node_report.hpp"
#include "cmd/node_restore.hpp"
#include "cmd/node_sources.hpp"
#include "config/feature_catalogue.hpp"
#include "runtime/cluster/placement.hpp"
#include "runtime/event_parser.hpp"
#include "runtime/redis/redis_reader.hpp"

namespace rtfeat::cmd {

namespace {

std::atomic<bool> stop_requested{false};

struct node_options {
  std::string config = "config/rtfeat.toml";
  std::vector<std::string> overrides;
  bool drain = false;
  std::string stats;
  std::string restore;  // "", "latest" or an id
  bool allow_catalogue_change = false;
  std::string node_id;  // cluster: which [[cluster.node]] this process is
};

std::shared_ptr<dead_letter_writer> open_dead_letters(const job_config& cfg, std::string& error) {
  const dead_letter_settings s{.topic = cfg.source_topic,
                               .path = cfg.dead_letter_path,
                               .max_payload_bytes = static_cast<size_t>(cfg.dead_letter_max_payload_bytes),
                               .bootstrap = cfg.source_bootstrap,
                               .kafka_max_message_bytes = cfg.dead_letter_kafka_max_message_bytes};
  if (cfg.dead_letter_kind == "kafka") return open_dead_letter_topic(s, error);
  return open_dead_letter_file(s, error);
}

/// Waits for every sink to report; prints progress meanwhile. Returns true when all wrote
/// everything; false with `lost` set when a cluster peer went away first.
/// In a cluster, `agent` passes a stop on to every peer (and tells us of theirs).
bool wait_for_sinks(caf::scoped_actor& self, const job_graph& g, const job_config& cfg,
                    node_sources& src, node_report& report, bool& lost, const caf::actor& agent) {
  size_t drained = 0;
  bool ok = true;
  bool stopping = false;
  bool remote_stop = false;
  lost = false;
  auto tick = std::chrono::milliseconds(cfg.progress_interval_ms > 0 ? cfg.progress_interval_ms : 1000);
  while (drained < g.sinks.size() && !lost) {
    self->receive([&](drained_atom, bool sink_ok) { ++drained, ok = ok && sink_ok; },
                  [&](stop_atom, const std::string& id) {  // cluster: a peer was asked to stop
                    if (!stopping) std::cerr << "node: node '" << id << "' stops the cluster\n";
                    remote_stop = true;
                  },
                  [&](lost_atom, const std::string& id, bool) {  // cluster: a peer is gone
                    std::cerr << "node: lost node '" << id << "': stopping at once\n";
                    lost = true, ok = false;
                  },
                  caf::after(tick) >> [&] {
                    if (cfg.progress_interval_ms > 0) std::cerr << report.progress_line() << "\n";
                    std::string kafka_error;
                    if (src.consumer) src.consumer->poll_events(kafka_error);
                    if (!kafka_error.empty()) std::cerr << "rtfeat: kafka: " << kafka_error << "\n";
                  });
    if ((stop_requested || remote_stop) && !stopping) {
      stopping = true;
      if (stop_requested && agent) self->send(agent, stop_atom::value);  // every node stops
      std::cerr << "node: stopping: flushing state to Redis\n";
      for (const auto& r : g.readers) self->send(r, stop_atom::value);
    }
  }
  return ok;
}

/// Drained or stopped with everything in Redis: a last checkpoint records the
/// final state and end offsets, so that `--restore latest` resumes after them
/// (as Flink's final checkpoint of a bounded job). A failure is reported; the
/// previous checkpoint stays the latest.
void final_checkpoint(caf::scoped_actor& self, const job_graph& g, const job_config& cfg) {
  if (!g.snapshot_writer || cfg.checkpoint_interval_ms <= 0) return;  // checkpoints are off
  bool done = false;
  self->request(g.coordinator, std::chrono::milliseconds(cfg.checkpoint_timeout_ms + 1000), final_atom::value)
    .receive([&](bool committed) { done = committed; }, [&](caf::error&) { done = false; });
  if (!done) std::cerr << "rtfeat node: the final checkpoint did not complete; the previous one stays the latest\n";
}

job_graph_settings graph_settings(const job_config& cfg, const feature_catalogue& catalogue,
                                  std::shared_ptr<const feature_plan> plan, const node_options& opt,
                                  node_sources& src, const restore_plan& restored) {
  job_graph_settings gs;
  gs.config = &cfg;
  gs.plan = std::move(plan);
  gs.catalogue_hash = catalogue.hash;
  for (auto& s : src.sources) gs.sources.push_back(s.get());
  gs.partitions = src.partitions;
  gs.start_offsets = src.start_offsets;
  for (auto p : src.partitions) {
    auto w = restored.watermarks.find(p);
    gs.start_watermarks.push_back(w != restored.watermarks.end() ? w->second : no_watermark);
  }
  gs.drain = opt.drain;
  gs.store = restored.store;
  gs.restore = restored.bodies;
  return gs;
}

peer_identity identity(const job_config& cfg, size_t node_index, const feature_catalogue& catalogue,
                       const restore_plan& restored) {
  peer_identity id;
  id.node = static_cast<uint32_t>(node_index);
  id.node_id = cfg.nodes[node_index].id;
  id.fingerprint = cluster_fingerprint(cfg);
  id.catalogue_hash = catalogue.hash;
  id.restore_id = restored.manifest ? restored.manifest->id : 0;
  return id;
}

/// What this process is: loaded once, the same for every attempt of a cluster node.
struct node_setup {
  job_config cfg;
  feature_catalogue catalogue;
  std::shared_ptr<const feature_plan> plan;
  size_t node_index = 0;
  bool cluster = false;
  metrics_server* metrics = nullptr;  // null when metrics.port = 0
  cluster_transport transport;      // a cluster node's links: plain or TLS
  std::vector<int32_t> partitions;  // a cluster node's own
};

enum class attempt_result { finished, failed, peer_lost, join_retry };

/// A rollback must not restore a checkpoint of an older job in the same directory:
/// one with id <= `floor_id` counts as none (start from the beginning).
void ignore_older(restore_plan& restored, uint64_t floor_id) {
  if (!restored.manifest || restored.manifest->id > floor_id) return;
  std::cerr << "node: checkpoint " << restored.manifest->id << " is older than this job: starting from the beginning\n";
  restored.manifest.reset();
  restored.offsets.clear();
  restored.watermarks.clear();
  restored.bodies.reset();
}

caf::actor_system_config& system_config(caf::actor_system_config& sys_cfg, const node_setup& ns) {
  sys_cfg.set("scheduler.max-threads", 2);
  sys_cfg.set("logger.verbosity", caf::atom("quiet"));
  register_message_types(sys_cfg);
  if (ns.cluster) ns.transport.configure(sys_cfg, ns.cfg);
  return sys_cfg;
}

/// One run of the node: restore `which` (ignoring checkpoints <= floor_id), open the
/// sources, spawn (and in a cluster join), run to the end, a failure or a lost peer.
attempt_result run_attempt(const node_options& opt, const node_setup& ns, const std::string& which,
                           uint64_t floor_id) {
  const auto& cfg = ns.cfg;
  std::string error;
  restore_plan restored;
  node_sources src;
  std::shared_ptr<dead_letter_writer> dead_letters;
  bool prepared = prepare_restore(cfg, ns.catalogue, which, opt.allow_catalogue_change, restored, error);
  if (prepared) ignore_older(restored, floor_id);
  if (!prepared || !(dead_letters = open_dead_letters(cfg, error))
      || !open_node_sources(cfg, opt.drain, restored.offsets, src, error, ns.cluster ? &ns.partitions : nullptr)) {
    std::cerr << "rtfeat node: " << error << "\n";
    return attempt_result::failed;
  }
  auto metrics = std::make_shared<node_metrics>();
  if (ns.metrics) ns.metrics->publish(metrics);
  node_report report(*metrics);
  auto started = std::chrono::steady_clock::now();
  bool ok = false, lost = false, retry = false;
  bool sinks_ok = true;  // false: Redis (or a checkpoint) failed, apart from the dead-letter sink
  {
    caf::actor_system_config sys_cfg;
    caf::actor_system sys{system_config(sys_cfg, ns)};
    caf::scoped_actor self{sys};
    auto gs = graph_settings(cfg, ns.catalogue, ns.plan, opt, src, restored);
    gs.dead_letters = dead_letters;
    gs.metrics = metrics.get();
    gs.on_drained = caf::actor_cast<caf::actor>(self);
    std::unique_ptr<cluster_session> session;
    job_graph graph;
    if (ns.cluster) {
      gs.node_index = static_cast<uint32_t>(ns.node_index);
      gs.node_count = static_cast<uint32_t>(cfg.nodes.size());
      gs.total_readers = static_cast<size_t>(cfg.source_partitions);
      gs.reader_indices.assign(src.partitions.begin(), src.partitions.end());  // reader index = partition
      const char* secret = std::getenv(cluster_secret_env);
      session = std::make_unique<cluster_session>(ns.transport);
      if (!session->join(sys, self, gs, ns.node_index, identity(cfg, ns.node_index, ns.catalogue, restored),
                         secret ? secret : "", error, retry)) {
        std::cerr << "rtfeat node: cluster: " << error << "\n";
        session->close(sys, caf::exit_reason::kill);
        return retry ? attempt_result::join_retry : attempt_result::failed;
      }
      graph = session->graph();
    } else {
      graph = spawn_job_graph(sys, gs);
    }
    // Shards decode their checkpointed state when they first run (seconds for a large
    // state); "processing" below must mean that this is done.
    for (const auto& shard : graph.shards)
      self->request(shard, caf::infinite, ready_atom::value).receive([](ready_atom) {}, [](caf::error&) {});
    // The moment this node works again after a (re)start or a rollback: `rtfeat drill`
    // measures rollbacks up to this line on every node (docs/cluster.md).
    std::cerr << "node: processing: readers started at unix_ms=" << wall_clock_ms() << " from checkpoint "
              << (restored.manifest ? restored.manifest->id : 0) << " (0 = the beginning)\n";
    std::cerr << "node: " << src.sources.size() << " partitions, " << ns.catalogue.features.size()
              << " features, redis " << cfg.redis_host << ":" << cfg.redis_port
              << (opt.drain ? ", draining to the end offsets seen at start" : ", Ctrl-C to stop") << "\n";
    ok = wait_for_sinks(self, graph, cfg, src, report, lost, session ? session->agent() : caf::actor{});
    if (session && ok) ok = session->finish(self, lost);
    if (!session && ok) final_checkpoint(self, graph, cfg);  // a cluster's coordinator ends its own run
    if (lost) {
      // No split brain: stop writing at once; the rollback replays from the checkpoint.
      session->close(sys, caf::exit_reason::kill);
    } else {
      bool dlq_ok = false;
      self->request(graph.dead_letters, std::chrono::seconds(60), end_atom::value)
        .receive([&](bool b) { dlq_ok = b; }, [&](caf::error&) { dlq_ok = false; });
      if (!dlq_ok)
        std::cerr << "rtfeat node: FAILED: the dead-letter sink (" << cfg.dead_letter_kind
                  << ") could not keep every dead letter (its error is above)\n";
      sinks_ok = ok;
      ok = ok && dlq_ok;
      if (session) session->close(sys, caf::exit_reason::user_shutdown);
      else
        for (const auto& a : graph.all()) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cerr << report.summary_line(secs) << "\n";
  if (!opt.stats.empty() && !report.write_stats(opt.stats, secs))
    std::cerr << "rtfeat node: cannot write " << opt.stats << "\n";
  if (lost) return attempt_result::peer_lost;
  if (!sinks_ok) std::cerr << "rtfeat node: FAILED: not everything reached Redis\n";
  return ok ? attempt_result::finished : attempt_result::failed;
}

/// The newest checkpoint id in the directory before this job wrote any (0 = none).
uint64_t checkpoints_before(const job_config& cfg) {
  std::string error;
  auto store = checkpoint_store::open(cfg.checkpoint_dir, open_mode::create, error);
  auto next = store ? store->next_id(error) : std::nullopt;
  return next ? *next - 1 : 0;
}

int run_node(const node_options& opt) {
  node_setup ns;
  std::string error;
  if (!load_job_config(opt.config, opt.overrides, ns.cfg, error)
      || !select_cluster_node(ns.cfg, opt.config, opt.node_id, ns.node_index, error)
      || !load_feature_catalogue(ns.cfg.features_file, ns.catalogue, error)) {
    std::cerr << "rtfeat node: " << error << "\n";
    return 2;
  }
  const auto& cfg = ns.cfg;
  // Credentials Redis refuses are a config error that no retry fixes: stop now. An
  // unreachable Redis may come up later; the sinks retry and drop nothing meanwhile.
  if (redis_reader probe; !probe.connect(cfg.redis_host, static_cast<int>(cfg.redis_port), 2000, error,
                                          redis_credentials_from_env(cfg.redis_username))) {
    if (probe.refused()) {
      std::cerr << "rtfeat node: " << error << "\n";
      return 2;
    }
    std::cerr << "node: warning: " << error << " (the sinks retry until it is up)\n";
  }
  ns.cluster = cfg.nodes.size() > 1;
  if (ns.cluster) {
    // caf_openssl would only fail on these files mid-run, inside CAF's I/O thread.
    ns.transport = cluster_transport::from(cfg);
    if (auto why = ns.transport.check(); !why.empty()) {
      std::cerr << "rtfeat node: " << why << "\n";
      return 2;
    }
  }
  placement place(static_cast<uint32_t>(std::max<size_t>(cfg.nodes.size(), 1)),
                  static_cast<uint32_t>(cfg.source_partitions), static_cast<uint32_t>(cfg.max_parallelism),
                  static_cast<uint32_t>(cfg.user_shards), static_cast<uint32_t>(cfg.category_shards));
  ns.partitions = place.partitions_of(static_cast<uint32_t>(ns.node_index));
  ns.plan = std::make_shared<const feature_plan>(build_feature_plan(ns.catalogue));
  metrics_server metrics;
  if (cfg.metrics_port > 0) {
    if (!metrics.start(cfg.metrics_host, static_cast<int>(cfg.metrics_port),
                       ns.cluster ? cfg.nodes[ns.node_index].id : "local", error)) {
      std::cerr << "rtfeat node: " << error << "\n";
      return 2;
    }
    ns.metrics = &metrics;
    std::cerr << "node: metrics on http://" << cfg.metrics_host << ":" << cfg.metrics_port << "/metrics\n";
  }
  if (!ns.cluster) return run_attempt(opt, ns, opt.restore, 0) == attempt_result::finished ? 0 : 1;
  // A cluster node rolls back when a peer is lost (docs/cluster.md): it restores the
  // last complete checkpoint and rejoins; the lost node is restarted with --restore latest.
  uint64_t floor_id = opt.restore.empty() ? checkpoints_before(cfg) : 0;
  std::string which = opt.restore;
  for (int joins_refused = 0;;) {
    auto r = run_attempt(opt, ns, which, which == opt.restore ? 0 : floor_id);
    if (r == attempt_result::finished) return 0;
    if (r == attempt_result::failed) return 1;
    if (r == attempt_result::join_retry) {
      // Peers restored another checkpoint: one committed while this node chose. Choose again.
      if (++joins_refused > 3) return 1;
      continue;
    }
    joins_refused = 0;
    std::cerr << "node: rolling back to the last complete checkpoint and waiting for every node to rejoin\n";
    which = "latest";
  }
}

}  // namespace

void add_node(CLI::App& app) {
  auto opt = std::make_shared<node_options>();
  auto* sub = app.add_subcommand("node", "run one node of the feature job");
  sub->add_option("--config", opt->config, "job config (TOML)")->capture_default_str();
  sub->add_option("--set", opt->overrides, "override a config key: section.key=value");
  sub->add_flag("--drain", opt->drain, "read to the end offsets seen at start, flush, exit 0");
  sub->add_option("--stats", opt->stats, "write final counters as JSON to this file");
  sub->add_option("--restore", opt->restore,
                  "restore 'latest' (or checkpoint ID) from checkpoint.dir; 'latest' with none starts fresh");
  sub->add_option("--node-id", opt->node_id, "cluster: this process's node, an id of [[cluster.node]]");
  sub->add_flag("--allow-catalogue-change", opt->allow_catalogue_change,
                "restore a checkpoint taken with another features.toml");
  sub->callback([opt] {
    std::signal(SIGINT, [](int) { stop_requested = true; });
    std::signal(SIGTERM, [](int) { stop_requested = true; });
    exit_code() = run_node(*opt);
  });
}

}  // namespace rtfeat::cmd

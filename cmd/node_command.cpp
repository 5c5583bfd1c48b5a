// rtfeat node: runs one node of the job until Ctrl-C, or with --drain until the
// input seen at start is consumed and written to Redis at the final watermark.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "caf/all.hpp"
#include "actors/atoms.hpp"
#include "actors/job_graph.hpp"
#include "actors/message_types.hpp"
#include "actors/node/node_conclusion.hpp"
#include "actors/node/node_finish.hpp"
#include "actors/node/node_report.hpp"
#include "actors/node/node_restore.hpp"
#include "actors/node/node_sources.hpp"
#include "cmd/cluster_node.hpp"
#include "cmd/cluster_transport.hpp"
#include "cmd/commands.hpp"
#include "cmd/metrics_server.hpp"
#include "config/cluster_hash_tags.hpp"
#include "config/feature_catalogue.hpp"
#include "runtime/cluster/placement.hpp"
#include "runtime/event_parser.hpp"
#include "runtime/lifecycle/exit_status.hpp"
#include "runtime/lifecycle/node_status.hpp"
#include "runtime/lifecycle/stop_signals.hpp"
#include "runtime/redis/redis_reader.hpp"
#include "runtime/redis/redis_target.hpp"
#include "runtime/window/future_skew_guard.hpp"

namespace rtfeat::cmd {

namespace {

using node::node_report;
using node::node_sources;
using node::restore_plan;
using node::shutdown_watchdog;
using node::sink_wait;

struct node_options {
  std::string config = "config/rtfeat.toml";
  std::vector<std::string> overrides;
  bool drain = false;
  std::string stats;
  std::string restore;  // "", "latest" or an id
  bool allow_catalogue_change = false;
  bool resync = false;  // rewrite every key from state at start
  std::string node_id;  // cluster: which [[cluster.node]] this process is
  std::string status_file;  // rewritten each time the readers start (runtime/lifecycle/node_status.hpp)
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
    auto f = restored.future_suspects.find(p);
    gs.start_future_suspects.push_back(f != restored.future_suspects.end() ? f->second : no_future_suspect);
  }
  gs.drain = opt.drain;
  gs.store = restored.store;
  gs.restore = restored.bodies;
  gs.resync = opt.resync;
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

/// How one attempt ended and, when finished or failed, the node's exit status.
struct attempt_end {
  attempt_result result = attempt_result::failed;
  exit_status status = exit_status::failed;
};

caf::actor_system_config& system_config(caf::actor_system_config& sys_cfg, const node_setup& ns) {
  sys_cfg.set("scheduler.max-threads", 2);
  // CAF's workers poll 100 times, then 500 times with 50 us naps, before they block
  // on their queue's condition variable: each reader poll or timer restarted that, so
  // an idle node burned ~10 % of a core per worker. Blocking after a few naps costs a
  // busy node nothing (a message from outside a worker wakes the condition variable);
  // a worker still looks for work to steal from the other every relaxed nap.
  sys_cfg.set("work-stealing.moderate-poll-attempts", size_t{10});
  sys_cfg.set("work-stealing.relaxed-sleep-duration", caf::timespan{std::chrono::milliseconds(2)});
  sys_cfg.set("logger.verbosity", caf::atom("quiet"));
  register_message_types(sys_cfg);
  if (ns.cluster) ns.transport.configure(sys_cfg, ns.cfg);
  return sys_cfg;
}

/// One run of the node: restore `which` (ignoring checkpoints <= floor_id), open the
/// sources, spawn (and in a cluster join), run to the end, a failure or a lost peer.
/// The summary line and --stats, on every way out of a run.
void print_stats(const node_report& report, const node_options& opt, std::chrono::steady_clock::time_point started) {
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cerr << report.summary_line(secs) << "\n";
  if (!opt.stats.empty() && !report.write_stats(opt.stats, secs))
    std::cerr << "rtfeat node: cannot write " << opt.stats << "\n";
}

/// One run of the node: restore `which` (ignoring checkpoints <= floor_id), open the
/// sources, spawn (and in a cluster join), run to the end, a failure or a lost peer.
attempt_end run_attempt(const node_options& opt, const node_setup& ns, const std::string& which, uint64_t floor_id,
                        node_status& status) {
  const auto& cfg = ns.cfg;
  std::string error;
  restore_plan restored;
  node_sources src;
  std::shared_ptr<dead_letter_writer> dead_letters;
  bool prepared = node::prepare_restore(cfg, ns.catalogue, which, opt.allow_catalogue_change, restored, error);
  if (prepared) node::ignore_older(restored, floor_id);
  if (!prepared || !(dead_letters = open_dead_letters(cfg, error))
      || !node::open_node_sources(cfg, opt.drain, restored.offsets, src, error, ns.cluster ? &ns.partitions : nullptr)) {
    std::cerr << "rtfeat node: " << error << "\n";
    return {attempt_result::failed, exit_status::bad_setup};
  }
  auto metrics = std::make_shared<node_metrics>();
  if (ns.metrics) ns.metrics->publish(metrics);
  node_report report(*metrics);
  auto started = std::chrono::steady_clock::now();
  // Outlives the actor system: its destructor may be what hangs.
  shutdown_watchdog watchdog(cfg.shutdown_timeout_ms, [&](const std::string& why, int code) {
    std::cerr << "rtfeat node: " << why << "\n";
    print_stats(report, opt, started);
    std::cerr << "rtfeat node: exit " << code << "\n";
  });
  auto abandon_sinks = std::make_shared<std::atomic<bool>>(false);
  run_outcome out{.drain = opt.drain, .checkpoints_on = !ns.cluster && cfg.checkpoint_interval_ms > 0};
  sink_wait w;
  std::string checkpoint_why;
  bool retry = false;
  {
    caf::actor_system_config sys_cfg;
    caf::actor_system sys{system_config(sys_cfg, ns)};
    caf::scoped_actor self{sys};
    auto gs = graph_settings(cfg, ns.catalogue, ns.plan, opt, src, restored);
    gs.dead_letters = dead_letters;
    gs.metrics = metrics.get();
    if (opt.resync) {  // counted like a resync a sink starts
      metrics->redis_resyncs.fetch_add(1);
      std::cerr << "node: --resync: every key of this node's state is rewritten at the first flush\n";
    }
    gs.on_drained = caf::actor_cast<caf::actor>(self);
    gs.abandon_sinks = abandon_sinks;
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
        return {retry ? attempt_result::join_retry : attempt_result::failed, exit_status::failed};
      }
      graph = session->graph();
    } else {
      graph = spawn_job_graph(sys, gs);
    }
    // Shards decode their checkpointed state when they first run (seconds for a large
    // state); "processing" below must mean that this is done.
    std::string restore_failure;
    for (const auto& shard : graph.shards)
      self->request(shard, caf::infinite, ready_atom::value)
        .receive([](ready_atom) {}, [&](caf::error& e) { restore_failure = sys.render(e); });
    if (!restore_failure.empty()) {  // nothing was read or written: stop every actor, exit 1
      std::cerr << "rtfeat node: fatal: a shard could not restore its checkpoint: " << restore_failure << "\n";
      if (session) session->close(sys, caf::exit_reason::kill);
      else
        for (const auto& a : graph.all()) caf::anon_send_exit(a, caf::exit_reason::kill);
      return {attempt_result::failed, exit_status::failed};
    }
    // The moment this node works again after a (re)start or a rollback: `rtfeat drill`
    // measures rollbacks up to it on every node, through --status-file (docs/cluster.md).
    const int64_t processing_ms = wall_clock_ms();
    const uint64_t from_checkpoint = restored.manifest ? restored.manifest->id : 0;
    std::cerr << "node: processing: readers started at unix_ms=" << processing_ms << " from checkpoint "
              << from_checkpoint << " (0 = the beginning)\n";
    if (!opt.status_file.empty()) {
      status.processing_since_unix_ms = processing_ms;
      status.checkpoint = from_checkpoint;
      ++status.starts;
      if (from_checkpoint > 0) ++status.resumed_from_checkpoint;
      std::string why;
      if (!write_node_status(opt.status_file, status, why)) std::cerr << "node: --status-file: " << why << "\n";
    }
    std::cerr << "node: " << src.sources.size() << " partitions, " << ns.catalogue.features.size()
              << " features, " << redis_target_text(cfg)
              << (opt.drain ? ", draining to the end offsets seen at start" : ", Ctrl-C to stop") << "\n";
    w = node::wait_for_sinks(self, graph, cfg, src, report, session ? session->agent() : caf::actor{}, watchdog);
    if (session && w.ok) w.ok = session->finish(self, w.lost);
    if (!w.ok && !w.lost) {
      // A stalled sink or a stop past its deadline: what is unwritten stays so; the
      // last complete checkpoint is where `--restore latest` resumes.
      *abandon_sinks = true;
      checkpoint_why = "skipped: not everything reached Redis";
    } else if (!session && w.ok) {  // a cluster's coordinator ends its own run
      out.final_checkpoint_committed = node::final_checkpoint(self, graph, cfg, watchdog, checkpoint_why);
    }
    if (w.lost) {
      // No split brain: stop writing at once; the rollback replays from the checkpoint.
      session->close(sys, caf::exit_reason::kill);
    } else {
      auto dlq_wait = std::chrono::milliseconds(60000);
      if (watchdog.armed())
        dlq_wait = std::clamp(std::chrono::ceil<std::chrono::milliseconds>(watchdog.soft_deadline()
                                                                           - std::chrono::steady_clock::now()),
                              std::chrono::milliseconds(100), dlq_wait);
      out.dead_letters_ok = false;
      self->request(graph.dead_letters, dlq_wait, end_atom::value)
        .receive([&](bool b) { out.dead_letters_ok = b; }, [&](caf::error&) {});
      if (session) session->close(sys, caf::exit_reason::user_shutdown);
      else
        for (const auto& a : graph.all()) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    }
  }
  print_stats(report, opt, started);
  if (w.lost) return {attempt_result::peer_lost, exit_status::failed};
  out.stop_requested = w.stopped;
  out.sinks_ok = w.ok;
  out.shutdown_timed_out = w.timed_out;
  out.checkpoints_completed = metrics->checkpoints_completed.load();
  auto concluded = node::conclude(out, w, checkpoint_why);
  std::cerr << concluded.line() << "\n";
  return {concluded.status == exit_status::failed ? attempt_result::failed : attempt_result::finished,
          concluded.status};
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
  if (cfg.redis_cluster && !check_cluster_hash_tags(ns.catalogue, error)) {
    std::cerr << "rtfeat node: " << error << "\n";
    return 2;
  }
  if (cfg.redis_cluster) {
    // The sinks retry an unreachable cluster; say so at start rather than only in their retries.
    if (!probe_redis_cluster(cfg, error)) std::cerr << "node: warning: " << error << " (the sinks retry until it is up)\n";
  } else if (redis_reader probe; !probe.connect(cfg.redis_host, static_cast<int>(cfg.redis_port), 2000, error,
                                          redis_credentials_from_env(cfg.redis_username))) {
    if (probe.refused()) {
      std::cerr << "rtfeat node: " << error << "\n";
      return 2;
    }
    std::cerr << "node: warning: " << error << " (the sinks retry until it is up)\n";
  }
  for (const auto& why : redis_eviction_warnings(cfg)) std::cerr << "node: warning: " << why << "\n";
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
  node_status status;  // across this process's attempts
  if (!ns.cluster) return rtfeat::exit_code(run_attempt(opt, ns, opt.restore, 0, status).status);
  // A cluster node rolls back when a peer is lost (docs/cluster.md): it restores the
  // last complete checkpoint and rejoins; the lost node is restarted with --restore latest.
  uint64_t floor_id = opt.restore.empty() ? node::checkpoints_before(cfg) : 0;
  std::string which = opt.restore;
  for (int joins_refused = 0;;) {
    auto [r, ended] = run_attempt(opt, ns, which, which == opt.restore ? 0 : floor_id, status);
    if (r == attempt_result::finished || r == attempt_result::failed) return rtfeat::exit_code(ended);
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
  sub->add_option("--status-file", opt->status_file,
                  "rewrite this JSON file each time the readers start: since when and from which checkpoint");
  sub->add_flag("--resync", opt->resync,
                "rewrite every key this node's state owns at start (after a restore), e.g. after Redis was repaired by hand");
  sub->add_flag("--allow-catalogue-change", opt->allow_catalogue_change,
                "restore a checkpoint taken with another features.toml");
  sub->callback([opt] {
    install_stop_signals();
    exit_code() = run_node(*opt);
  });
}

}  // namespace rtfeat::cmd

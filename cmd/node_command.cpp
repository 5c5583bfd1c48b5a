// rtfeat node: runs one node of the job until Ctrl-C, or with --drain until the
// input seen at start is consumed and written to Redis at the final watermark.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "caf/all.hpp"
#include "caf/io/middleman.hpp"
#include "actors/atoms.hpp"
#include "actors/job_graph.hpp"
#include "actors/message_types.hpp"
#include "cmd/cluster_node.hpp"
#include "cmd/commands.hpp"
#include "cmd/node_report.hpp"
#include "cmd/node_restore.hpp"
#include "cmd/node_sources.hpp"
#include "config/feature_catalogue.hpp"
#include "runtime/cluster/placement.hpp"

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
  if (cfg.dead_letter_kind == "kafka")
    return open_dead_letter_topic(cfg.source_bootstrap, cfg.source_topic, error);
  return open_dead_letter_file(cfg.dead_letter_path, cfg.source_topic, error);
}

/// Waits for every sink to report; prints progress meanwhile. Returns true when all wrote everything.
bool wait_for_sinks(caf::scoped_actor& self, const job_graph& g, const job_config& cfg,
                    node_sources& src, node_report& report) {
  size_t drained = 0;
  bool ok = true;
  bool stopping = false;
  bool lost = false;
  auto tick = std::chrono::milliseconds(cfg.progress_interval_ms > 0 ? cfg.progress_interval_ms : 1000);
  while (drained < g.sinks.size() && !lost) {
    self->receive([&](drained_atom, bool sink_ok) { ++drained, ok = ok && sink_ok; },
                  [&](lost_atom, const std::string& id, bool) {  // cluster: a peer is gone
                    std::cerr << "rtfeat node: lost node '" << id << "': the job cannot go on without it;"
                              << " restart every node with --restore latest\n";
                    lost = true, ok = false;
                  },
                  caf::after(tick) >> [&] {
                    if (cfg.progress_interval_ms > 0) std::cerr << report.progress_line() << "\n";
                    std::string kafka_error;
                    if (src.consumer) src.consumer->poll_events(kafka_error);
                    if (!kafka_error.empty()) std::cerr << "rtfeat: kafka: " << kafka_error << "\n";
                  });
    if (stop_requested && !stopping) {
      stopping = true;
      std::cerr << "node: stopping: flushing state to Redis\n";
      for (const auto& r : g.readers) self->send(r, stop_atom::value);
    }
  }
  return ok;
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

int run_node(const node_options& opt) {
  job_config cfg;
  feature_catalogue catalogue;
  std::string error;
  size_t node_index = 0;
  if (!load_job_config(opt.config, opt.overrides, cfg, error)
      || !select_cluster_node(cfg, opt.config, opt.node_id, node_index, error)
      || !load_feature_catalogue(cfg.features_file, catalogue, error)) {
    std::cerr << "rtfeat node: " << error << "\n";
    return 2;
  }
  bool cluster = cfg.nodes.size() > 1;
  placement place(static_cast<uint32_t>(std::max<size_t>(cfg.nodes.size(), 1)),
                  static_cast<uint32_t>(cfg.source_partitions), static_cast<uint32_t>(cfg.max_parallelism),
                  static_cast<uint32_t>(cfg.user_shards), static_cast<uint32_t>(cfg.category_shards));
  auto mine = place.partitions_of(static_cast<uint32_t>(node_index));
  auto plan = std::make_shared<const feature_plan>(build_feature_plan(catalogue));
  restore_plan restored;
  node_sources src;
  std::shared_ptr<dead_letter_writer> dead_letters;
  if (!prepare_restore(cfg, catalogue, opt.restore, opt.allow_catalogue_change, restored, error)
      || !(dead_letters = open_dead_letters(cfg, error))
      || !open_node_sources(cfg, opt.drain, restored.offsets, src, error, cluster ? &mine : nullptr)) {
    std::cerr << "rtfeat node: " << error << "\n";
    return 1;
  }
  node_metrics metrics;
  node_report report(metrics);
  auto started = std::chrono::steady_clock::now();
  bool ok = false;
  {
    caf::actor_system_config sys_cfg;
    sys_cfg.set("scheduler.max-threads", 2);
    sys_cfg.set("logger.verbosity", caf::atom("quiet"));
    register_message_types(sys_cfg);
    if (cluster) sys_cfg.load<caf::io::middleman>();
    caf::actor_system sys{sys_cfg};
    caf::scoped_actor self{sys};
    auto gs = graph_settings(cfg, catalogue, plan, opt, src, restored);
    gs.dead_letters = dead_letters;
    gs.metrics = &metrics;
    gs.on_drained = caf::actor_cast<caf::actor>(self);
    std::unique_ptr<cluster_session> session;
    job_graph graph;
    if (cluster) {
      gs.node_index = static_cast<uint32_t>(node_index);
      gs.node_count = static_cast<uint32_t>(cfg.nodes.size());
      gs.total_readers = static_cast<size_t>(cfg.source_partitions);
      gs.reader_indices.assign(src.partitions.begin(), src.partitions.end());  // reader index = partition
      const char* secret = std::getenv(cluster_secret_env);
      session = cluster_session::join(sys, self, gs, node_index, identity(cfg, node_index, catalogue, restored),
                                      secret ? secret : "", error);
      if (!session) {
        std::cerr << "rtfeat node: cluster: " << error << "\n";
        std::_Exit(1);  // half joined: leave at once (shards may only have rewritten restored state)
      }
      graph = session->graph();
    } else {
      graph = spawn_job_graph(sys, gs);
    }
    std::cerr << "node: " << src.sources.size() << " partitions, " << catalogue.features.size()
              << " features, redis " << cfg.redis_host << ":" << cfg.redis_port
              << (opt.drain ? ", draining to the end offsets seen at start" : ", Ctrl-C to stop") << "\n";
    ok = wait_for_sinks(self, graph, cfg, src, report);
    if (session && ok) ok = session->finish(self);
    bool dlq_ok = false;
    self->request(graph.dead_letters, std::chrono::seconds(60), end_atom::value)
      .receive([&](bool b) { dlq_ok = b; }, [&](caf::error&) { dlq_ok = false; });
    ok = ok && dlq_ok;
    for (const auto& a : session ? session->all() : graph.all())
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cerr << report.summary_line(secs) << "\n";
  if (!opt.stats.empty() && !report.write_stats(opt.stats, secs))
    std::cerr << "rtfeat node: cannot write " << opt.stats << "\n";
  if (!ok) std::cerr << "rtfeat node: FAILED: not everything reached Redis / the dead-letter sink\n";
  return ok ? 0 : 1;
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

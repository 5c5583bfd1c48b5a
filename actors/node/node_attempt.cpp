// One attempt of a node's run (see node_attempt.hpp). The attempt owns its actor
// system: a rollback tears it down whole and starts the next attempt with a new one.
#include "actors/node/node_attempt.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "caf/all.hpp"
#include "actors/atoms.hpp"
#include "actors/job_graph.hpp"
#include "actors/message_types.hpp"
#include "actors/node/cluster_session.hpp"
#include "actors/node/node_conclusion.hpp"
#include "actors/node/node_finish.hpp"
#include "actors/node/node_report.hpp"
#include "actors/node/node_restore.hpp"
#include "actors/node/node_sources.hpp"
#include "actors/node/shutdown_watchdog.hpp"
#include "actors/node/waking_scheduler.hpp"
#include "actors/urgent_exit.hpp"
#include "runtime/cluster/placement.hpp"
#include "runtime/event_parser.hpp"
#include "runtime/redis/redis_target.hpp"
#include "runtime/window/future_skew_guard.hpp"

namespace rtfeat::node {

namespace {

std::shared_ptr<dead_letter_writer> open_dead_letters(const job_config& cfg, std::string& error) {
  const dead_letter_settings s{.topic = cfg.source_topic,
                               .path = cfg.dead_letter_path,
                               .max_payload_bytes = static_cast<size_t>(cfg.dead_letter_max_payload_bytes),
                               .bootstrap = cfg.source_bootstrap,
                               .kafka_max_message_bytes = cfg.dead_letter_kafka_max_message_bytes};
  if (cfg.dead_letter_kind == "kafka") return open_dead_letter_topic(s, error);
  return open_dead_letter_file(s, error);
}

job_graph_settings graph_settings(const node_setup& ns, const node_options& opt, node_sources& src,
                                  const restore_plan& restored) {
  job_graph_settings gs;
  gs.config = &ns.cfg;
  gs.plan = ns.plan;
  gs.catalogue_hash = ns.catalogue.hash;
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

peer_identity identity(const node_setup& ns, const restore_plan& restored) {
  peer_identity id;
  id.node = static_cast<uint32_t>(ns.node_index);
  id.node_id = ns.cfg.nodes[ns.node_index].id;
  id.fingerprint = cluster_fingerprint(ns.cfg);
  id.catalogue_hash = ns.catalogue.hash;
  id.restore_id = restored.manifest ? restored.manifest->id : 0;
  id.epoch = ns.epoch;
  return id;
}

caf::actor_system_config& system_config(caf::actor_system_config& sys_cfg, const node_setup& ns) {
  sys_cfg.set("scheduler.max-threads", 2);
  // CAF's workers poll 100 times, then 500 times with 50 us naps, before they block
  // on their queue's condition variable: each reader poll or timer restarted that, so
  // an idle node burned ~10 % of a core per worker. Here a worker blocks after one
  // nap: whoever queues a job wakes a sleeping worker (waking_scheduler.hpp), so the
  // relaxed nap is only a safety net and a busy node loses nothing by sleeping early.
  use_waking_scheduler(sys_cfg);
  sys_cfg.set("work-stealing.moderate-poll-attempts", size_t{1});
  sys_cfg.set("work-stealing.relaxed-sleep-duration", caf::timespan{std::chrono::milliseconds(50)});
  sys_cfg.set("logger.verbosity", caf::atom("quiet"));
  register_message_types(sys_cfg);
  if (ns.cluster) ns.transport.configure(sys_cfg, ns.cfg);
  return sys_cfg;
}

/// The summary line and --stats, on every way out of a run.
void print_stats(const node_report& report, const node_options& opt, std::chrono::steady_clock::time_point started) {
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cerr << report.summary_line(secs) << "\n";
  if (!opt.stats.empty() && !report.write_stats(opt.stats, secs))
    std::cerr << "rtfeat node: cannot write " << opt.stats << "\n";
}

/// The moment this node works again after a (re)start or a rollback: `rtfeat drill`
/// measures rollbacks up to it on every node, through --status-file (docs/cluster.md).
void announce_processing(const node_options& opt, const node_setup& ns, const node_sources& src,
                         const restore_plan& restored, node_status& status, const stage_clock& stages) {
  const int64_t processing_ms = wall_clock_ms();
  const uint64_t from_checkpoint = restored.manifest ? restored.manifest->id : 0;
  std::cerr << "node: processing: readers started at unix_ms=" << processing_ms << " from checkpoint "
            << from_checkpoint << " (0 = the beginning)\n";
  std::cerr << "node: processing " << stages.total_ms() << " ms after " << (status.starts == 0 ? "start" : "the stop")
            << ": " << stages.text() << "\n";
  if (!opt.status_file.empty()) {
    status.processing_since_unix_ms = processing_ms;
    status.checkpoint = from_checkpoint;
    status.resume_ms = stages.total_ms();
    status.resume_stages = stages.text();
    ++status.starts;
    if (from_checkpoint > 0) ++status.resumed_from_checkpoint;
    std::string why;
    if (!write_node_status(opt.status_file, status, why)) std::cerr << "node: --status-file: " << why << "\n";
  }
  std::cerr << "node: " << src.sources.size() << " partitions, " << ns.catalogue.features.size() << " features, "
            << redis_target_text(ns.cfg)
            << (opt.drain ? ", draining to the end offsets seen at start" : ", Ctrl-C to stop") << "\n";
}

/// Sends `how` to every actor of this node (through the session in a cluster).
void stop_all(caf::actor_system& sys, cluster_session* session, const job_graph& graph, caf::exit_reason how) {
  if (session) session->close(sys, how);
  else
    for (const auto& a : graph.all()) send_exit(a, how);
}

/// After the sinks: whether every rejected event reached the dead-letter sink,
/// waiting at most until the watchdog's soft deadline when a stop is under way.
bool end_dead_letters(caf::scoped_actor& self, const job_graph& graph, const shutdown_watchdog& watchdog) {
  auto wait = std::chrono::milliseconds(60000);
  if (watchdog.armed())
    wait = std::clamp(std::chrono::ceil<std::chrono::milliseconds>(watchdog.soft_deadline()
                                                                   - std::chrono::steady_clock::now()),
                      std::chrono::milliseconds(100), wait);
  bool ok = false;
  self->request(graph.dead_letters, wait, end_atom::value).receive([&](bool b) { ok = b; }, [&](caf::error&) {});
  return ok;
}

/// What a run needs from before its actor system starts until after it is gone.
struct attempt_context {
  const node_options& opt;
  const node_setup& ns;
  restore_plan& restored;
  node_sources& src;
  std::shared_ptr<dead_letter_writer> dead_letters;
  std::shared_ptr<node_metrics> metrics;
  node_report& report;
  shutdown_watchdog& watchdog;
  stage_clock& stages;
  std::shared_ptr<std::atomic<bool>> abandon_sinks = std::make_shared<std::atomic<bool>>(false);
};

/// What came out of the actor system's life.
struct run_facts {
  sink_wait w;
  bool final_checkpoint_committed = false;
  bool dead_letters_ok = true;
  std::string checkpoint_why;
  std::optional<attempt_end> early;  // the run ended before processing (join or restore failed)
};

/// The graph's settings for this attempt; in a cluster, this node's part of it.
job_graph_settings settings_of(attempt_context& c, caf::scoped_actor& self) {
  auto gs = graph_settings(c.ns, c.opt, c.src, c.restored);
  gs.dead_letters = c.dead_letters;
  gs.metrics = c.metrics.get();
  if (c.opt.resync) {  // counted like a resync a sink starts
    c.metrics->redis_resyncs.fetch_add(1);
    std::cerr << "node: --resync: every key of this node's state is rewritten at the first flush\n";
  }
  gs.on_drained = caf::actor_cast<caf::actor>(self);
  gs.abandon_sinks = c.abandon_sinks;
  if (c.ns.cluster) {
    gs.node_index = static_cast<uint32_t>(c.ns.node_index);
    gs.node_count = static_cast<uint32_t>(c.ns.cfg.nodes.size());
    gs.total_readers = static_cast<size_t>(c.ns.cfg.source_partitions);
    gs.reader_indices.assign(c.src.partitions.begin(), c.src.partitions.end());  // reader index = partition
  }
  return gs;
}

/// Joins the cluster through `session`; false (with how the attempt ended in
/// f.early) when the join failed, after stopping what was spawned.
bool join(attempt_context& c, caf::actor_system& sys, caf::scoped_actor& self, const job_graph_settings& gs,
          cluster_session& session, run_facts& f) {
  const char* secret = std::getenv(cluster_secret_env);
  std::string error;
  bool retry = false;
  if (session.join(sys, self, gs, c.ns.node_index, identity(c.ns, c.restored), secret ? secret : "", error, retry))
    return true;
  std::cerr << "rtfeat node: cluster: " << error << "\n";
  session.close(sys, caf::exit_reason::kill);
  auto result = retry                     ? attempt_result::join_retry
                : session.epoch_changed() ? attempt_result::membership_changed
                : session.incomplete()    ? attempt_result::peers_missing
                                          : attempt_result::failed;  // refused, or a shard could not restore
  f.early = attempt_end{result, exit_status::failed, session.reached()};
  return false;
}

/// After wait_for_sinks: the cluster's finish, the final checkpoint, the dead
/// letters, and every actor stopped (at once when a peer was lost).
void end_run(attempt_context& c, caf::actor_system& sys, caf::scoped_actor& self, const job_graph& graph,
             cluster_session* session, run_facts& f) {
  if (session && f.w.ok) f.w.ok = session->finish(self, f.w.lost);
  if (!f.w.ok && !f.w.lost) {
    // A stalled sink or a stop past its deadline: what is unwritten stays so; the
    // last complete checkpoint is where `--restore latest` resumes.
    *c.abandon_sinks = true;
    f.checkpoint_why = "skipped: not everything reached Redis";
  } else if (!session && f.w.ok) {  // a cluster's coordinator ends its own run
    f.final_checkpoint_committed = final_checkpoint(self, graph, c.ns.cfg, c.watchdog, f.checkpoint_why);
  }
  if (f.w.lost || f.w.new_epoch != 0) {
    // No split brain: stop writing at once (a sink ends the write under way first);
    // the rollback replays from the checkpoint.
    *c.abandon_sinks = true;
    stop_all(sys, session, graph, caf::exit_reason::kill);
  } else {
    f.dead_letters_ok = end_dead_letters(self, graph, c.watchdog);
    stop_all(sys, session, graph, caf::exit_reason::user_shutdown);
  }
}

/// Spawns (or joins), runs to the end and stops every actor; the actor system is
/// gone when this returns.
run_facts run_graph(attempt_context& c, node_status& status) {
  run_facts f;
  caf::actor_system_config sys_cfg;
  caf::actor_system sys{system_config(sys_cfg, c.ns)};
  caf::scoped_actor self{sys};
  c.stages.mark("actor system");
  auto gs = settings_of(c, self);
  std::unique_ptr<cluster_session> session;
  job_graph graph;
  if (c.ns.cluster) {
    session = std::make_unique<cluster_session>(c.ns.transport, &c.stages);
    if (!join(c, sys, self, gs, *session, f)) return f;  // the shards restored before the readers started
    graph = session->graph();
  } else {
    graph = spawn_job_graph(sys, gs);
    c.stages.mark("spawn");
    if (auto failure = await_restored_shards(sys, self, graph); !failure.empty()) {
      // Nothing was read or written: stop every actor, exit 1.
      std::cerr << "rtfeat node: fatal: a shard could not restore its checkpoint: " << failure << "\n";
      stop_all(sys, nullptr, graph, caf::exit_reason::kill);
      f.early = attempt_end{attempt_result::failed, exit_status::failed};
      return f;
    }
    c.stages.mark("decode");
  }
  announce_processing(c.opt, c.ns, c.src, c.restored, status, c.stages);
  f.w = wait_for_sinks(self, graph, c.ns.cfg, c.src, c.report, session ? session->agent() : caf::actor{},
                       c.watchdog);
  if (f.w.lost || f.w.new_epoch != 0) c.stages.restart();  // the way back starts here
  end_run(c, sys, self, graph, session.get(), f);
  if (f.w.lost || f.w.new_epoch != 0) c.stages.mark("stop");
  return f;
}

}  // namespace

attempt_end run_attempt(const node_options& opt, const node_setup& ns, const std::string& which, uint64_t floor_id,
                        node_status& status, stage_clock& stages) {
  const auto& cfg = ns.cfg;
  std::string error;
  restore_plan restored;
  node_sources src;
  std::shared_ptr<dead_letter_writer> dead_letters;
  bool prepared =
    prepare_restore(cfg, ns.catalogue, which, opt.allow_catalogue_change, restored, error, ns.key_groups);
  if (prepared) ignore_older(restored, floor_id), stages.mark("restore read");
  if (!prepared || !(dead_letters = open_dead_letters(cfg, error))
      || !open_node_sources(cfg, opt.drain, restored.offsets, src, error, ns.cluster ? &ns.partitions : nullptr)) {
    std::cerr << "rtfeat node: " << error << "\n";
    return {attempt_result::failed, exit_status::bad_setup};
  }
  stages.mark("sources");
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
  attempt_context c{.opt = opt,
                    .ns = ns,
                    .restored = restored,
                    .src = src,
                    .dead_letters = dead_letters,
                    .metrics = metrics,
                    .report = report,
                    .watchdog = watchdog,
                    .stages = stages};
  auto f = run_graph(c, status);
  if (f.w.lost || f.w.new_epoch != 0) {
    stages.mark("actor system down");
    close_in_background(src);
  }
  if (f.early) return *f.early;
  print_stats(report, opt, started);
  if (f.w.lost) return {attempt_result::peer_lost, exit_status::failed};
  if (f.w.new_epoch != 0) return {attempt_result::membership_changed, exit_status::failed};
  run_outcome out{.drain = opt.drain,
                  .stop_requested = f.w.stopped,
                  .sinks_ok = f.w.ok,
                  .dead_letters_ok = f.dead_letters_ok,
                  .shutdown_timed_out = f.w.timed_out,
                  .checkpoints_on = !ns.cluster && cfg.checkpoint_interval_ms > 0,
                  .final_checkpoint_committed = f.final_checkpoint_committed,
                  .checkpoints_completed = metrics->checkpoints_completed.load()};
  auto concluded = conclude(out, f.w, f.checkpoint_why);
  std::cerr << concluded.line() << "\n";
  return {concluded.status == exit_status::failed ? attempt_result::failed : attempt_result::finished,
          concluded.status};
}

}  // namespace rtfeat::node

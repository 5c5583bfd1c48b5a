// The drill's kills, rescale and drain (see drill_scenario.hpp). Everything runs
// in one loop of short polls (tick): children, node logs, the checkpoint
// directory, progress. A rollback is timed from the SIGKILL to the last node's
// "processing" line: every node has restored and rejoined and its readers run.
#include "runtime/tools/drill/drill_scenario.hpp"

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <memory>
#include <thread>

#include "runtime/checkpoint/checkpoint_store.hpp"
#include "runtime/cluster/membership.hpp"
#include "runtime/event_parser.hpp"
#include "runtime/tools/drill/drill_run.hpp"

namespace rtfeat {

namespace {

using steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr auto poll_every = milliseconds(3);  // a checkpoint's files take tens of ms to write
constexpr auto resume_timeout =
  milliseconds(120000);  // nodes give up on a peer after connect_timeout_ms anyway
constexpr auto stall_timeout =
  milliseconds(300000);  // no checkpoint and no node exit for this long

class scenario {
public:
  scenario(drill_context& ctx, drill_report& r) : ctx_(ctx), r_(r) {}

  bool run(const drill_plan& plan) {
    auto opened = checkpoint_store::open(ctx_.checkpoint_dir, open_mode::create);
    if (!opened) return fail(opened.error().message());
    store_ = std::move(*opened);
    bool ok = start() && kills(plan) && membership_changes(plan.membership)
              && (!plan.rescale || rescale(*plan.rescale)) && drain();
    if (!plan.membership.empty()) r_.nodes_after = ctx_.cluster.size();
    r_.cluster_s = std::chrono::duration<double>(steady::now() - start_).count();
    r_.checkpoints_completed = ctx_.checkpoints.completed_count();
    r_.restores = ctx_.cluster.restores();
    for (auto& k : r_.kills)
      k.in_flight_committed = ctx_.checkpoints.was_completed(k.checkpoint_in_flight);
    if (r_.rescale)
      r_.rescale->in_flight_committed =
        ctx_.checkpoints.was_completed(r_.rescale->checkpoint_in_flight);
    return ok;
  }

private:
  bool fail(std::string why) {
    r_.failures.push_back(std::move(why));
    return false;
  }

  double since_start() const {
    return std::chrono::duration<double>(steady::now() - start_).count();
  }

  /// One round of polling; false (with a failure recorded) when the drill must stop.
  bool tick() {
    std::this_thread::sleep_for(poll_every);
    if (drill_stop_requested) return fail("interrupted");
    ctx_.cluster.poll();
    if (auto f = ctx_.cluster.failure(); !f.empty()) return fail(f);
    if (auto s = ctx_.services.stopped(); !s.empty()) return fail(s);
    ctx_.checkpoints.poll();
    if (expect_running_ && ctx_.cluster.finished() > 0)
      return fail("the cluster drained before the drill was done (" + phase_
                  + "): give it more --events, fewer --kills or a lower --rate");
    progress();
    return true;
  }

  template <class Done>
  bool wait_until(Done done, milliseconds timeout) {
    auto until = steady::now() + timeout;
    while (!done()) {
      if (!tick()) return false;
      if (steady::now() > until)
        return fail("timed out after " + std::to_string(timeout.count() / 1000) + " s: " + phase_);
    }
    return true;
  }

  bool pause(int64_t ms) {
    auto until = steady::now() + milliseconds(ms);
    return wait_until([&] { return steady::now() >= until; }, milliseconds(ms + 60000));
  }

  /// Waits for the moment a kill (or the rescale) was planned at.
  bool wait_for_moment(kill_moment m, int64_t delay_ms) {
    auto& cp = ctx_.checkpoints;
    if (m == kill_moment::checkpoint_in_flight) {
      // First a checkpoint to roll back to (else the kill is a mere restart from scratch), then one
      // newer than every directory there now: not the debris of one a kill cut.
      if (!wait_until([&] { return cp.newest_complete() > 0; }, resume_timeout)) return false;
      uint64_t floor = cp.newest_seen();
      return wait_until([&] { return cp.in_flight() > floor; }, resume_timeout);
    }
    uint64_t base = cp.newest_complete();
    return wait_until([&] { return cp.newest_complete() > base; }, resume_timeout)
           && pause(delay_ms);
  }

  /// Waits until every current node processes again after `since_unix_ms`.
  bool resumed(int64_t since_unix_ms, cluster_resume& out) {
    bool agree = true;
    if (!wait_until([&] { return ctx_.cluster.all_processing_since(since_unix_ms, out, agree); },
                    resume_timeout))
      return false;
    if (!agree) return fail("the nodes resumed from different checkpoints (see their logs)");
    run_floor_ = ctx_.checkpoints.newest_seen();
    r_.final_checkpoint = out.checkpoint;
    r_.events_at_checkpoint = 0;
    if (out.checkpoint == 0) return true;
    checkpoint_manifest m;
    if (auto loaded = store_->load_manifest(out.checkpoint, m); !loaded)
      return fail("checkpoint the nodes resumed from: " + loaded.message());
    for (const auto& p : m.positions)
      r_.events_at_checkpoint += static_cast<uint64_t>(p.next_offset);
    return true;
  }

  /// The in-flight checkpoint right now, if it belongs to the current run (0 = none).
  uint64_t in_flight_now() {
    ctx_.checkpoints.poll();
    auto id = ctx_.checkpoints.in_flight();
    return id > run_floor_ ? id : 0;
  }

  bool start() {
    std::string error;
    phase_ = "starting " + std::to_string(ctx_.options.nodes) + " nodes";
    if (!ctx_.cluster.configure(ctx_.options.nodes, error)) return fail(error);
    start_ = steady::now();
    auto t = wall_clock_ms();
    if (!ctx_.cluster.start_all(false, error)) return fail(error);
    cluster_resume c;
    if (!resumed(t, c)) return false;
    std::fprintf(stderr, "drill: %u nodes processing after %" PRId64 " ms\n", ctx_.cluster.size(),
                 c.last_unix_ms - t);
    expect_running_ = true;
    processing_start_ = steady::now();
    return true;
  }

  bool membership_changes(const std::vector<planned_membership_change>& changes) {
    for (const auto& c : changes)
      if (!membership_change(c)) return false;
    return true;
  }

  /// Waits for the change's moment, acts, waits for the epoch it leads to and
  /// for every member of that epoch to process again.
  bool membership_change(const planned_membership_change& c) {
    membership_change_record rec;
    rec.kind = std::string(to_string(c.kind));
    rec.node = c.node;
    auto what = rec.kind + " " + c.node;
    if (!wait_for_change_moment(c, what)) return false;
    uint64_t epoch_before = 0;
    if (!newest_epoch(epoch_before)) return false;
    rec.at_s = since_start();
    auto t = wall_clock_ms();
    const node_process* leaver = nullptr;
    if (!act(c, what, leaver)) return false;
    std::fprintf(stderr, "drill: %s at %.2f s\n", what.c_str(), rec.at_s);
    membership m;
    if (!await_epoch(epoch_before, what, m)) return false;
    phase_ = what + ": epoch " + std::to_string(m.epoch) + ", waiting for every member to process";
    cluster_resume resume;
    if (!resumed(m.created_ms, resume)) return false;
    if (leaver != nullptr && !left_cleanly(*leaver, what)) return false;
    rec.epoch = m.epoch;
    rec.committed_s = rec.at_s + static_cast<double>(m.created_ms - t) / 1000.0;
    rec.restored_checkpoint = resume.checkpoint;
    rec.pause_ms = resume.last_unix_ms - m.created_ms;
    rec.since_action_ms = resume.last_unix_ms - t;
    std::fprintf(stderr,
                 "drill: %s: membership epoch %" PRIu64 " (%s), every member processing %" PRId64
                 " ms after the commit\n",
                 what.c_str(), m.epoch, m.ids().c_str(), rec.pause_ms);
    r_.membership_changes.push_back(rec);
    return true;
  }

  bool wait_for_change_moment(const planned_membership_change& c, const std::string& what) {
    if (c.kind == membership_change_kind::replace) {
      phase_ = what + ": waiting for a checkpoint, then " + std::to_string(c.delay_ms) + " ms";
      return wait_for_moment(kill_moment::after_checkpoint, c.delay_ms);
    }
    phase_ = what + ": waiting until " + std::to_string(c.at_s) + " s of processing";
    auto due = processing_start_ + milliseconds(static_cast<int64_t>(c.at_s * 1000));
    return wait_until([&] { return steady::now() >= due; },
                      milliseconds(static_cast<int64_t>(c.at_s * 1000) + 60000));
  }

  /// Starts the joiner, asks for the leave, or SIGKILLs the node to lose.
  bool act(const planned_membership_change& c, const std::string& what,
           const node_process*& leaver) {
    auto& cluster = ctx_.cluster;
    std::string error;
    phase_ = what + ": waiting for the membership epoch";
    if (c.kind == membership_change_kind::join) {
      if (!cluster.start_joiner(c.node, cluster.address(0), error)) return fail(error);
      return true;
    }
    auto index = cluster.index_of(c.node);
    if (!index) return fail(what + ": " + c.node + " is not a member any more");
    if (c.kind == membership_change_kind::replace) {
      cluster.kill(*index);
      cluster.remove(*index);
      return true;
    }
    leave_command_ =
      child_process::start({self_executable(), "cluster", "leave", "--config",
                            cluster.config_path(), "--timeout-ms", "60000", c.node},
                           leave_log_ = cluster.work_dir() + "/leave-" + c.node + ".log", error);
    if (!leave_command_) return fail(error);
    leaver = cluster.remove(*index);  // its exit 0 is the leave, not a drain
    return true;
  }

  bool newest_epoch(uint64_t& epoch) {
    auto loaded = load_membership(ctx_.checkpoint_dir);
    if (!loaded) return fail("membership: " + loaded.error().message());
    epoch = *loaded ? (*loaded)->epoch : 0;
    return true;
  }

  /// Waits for an epoch newer than `before`, which must be the one `what` asked for.
  bool await_epoch(uint64_t before, const std::string& what, membership& out) {
    bool read_error = false;
    auto committed = [&] {
      auto loaded = load_membership(ctx_.checkpoint_dir);
      if (!loaded) return read_error = true;
      if (!*loaded || (*loaded)->epoch <= before) return false;
      out = **loaded;
      return true;
    };
    if (!wait_until(committed, resume_timeout)) return false;
    if (read_error) return fail("cannot read the membership in " + ctx_.checkpoint_dir);
    if (out.epoch != before + 1 || !out.change.starts_with(what))
      return fail("membership epoch " + std::to_string(out.epoch) + " (" + out.change
                  + ") is not the " + what + " the drill asked for");
    return true;
  }

  /// The leave command and the node that left both exit 0.
  bool left_cleanly(const node_process& leaver, const std::string& what) {
    phase_ = what + ": waiting for the leave command and the node to exit";
    if (!wait_until([&] { return !leave_command_->running() && leaver.child->status(); },
                    resume_timeout))
      return false;
    if (!leave_command_->status()->ok())
      return fail("rtfeat cluster leave " + leaver.id + " failed ("
                  + leave_command_->status()->describe() + "), see " + leave_log_);
    if (!leaver.child->status()->ok())
      return fail(leaver.id + " did not exit 0 after leaving, see " + leaver.log_path);
    return true;
  }

  bool kills(const drill_plan& plan) {
    for (size_t i = 0; i < plan.kills.size(); ++i)
      if (!kill_one(plan.kills[i], i + 1)) return false;
    return true;
  }

  bool kill_one(const planned_kill& k, size_t number) {
    kill_record rec;
    rec.node = ctx_.cluster.id(k.victim);
    rec.moment = std::string(to_string(k.moment));
    rec.pause_ms = k.pause_ms;
    auto what = "kill " + std::to_string(number) + "/" + std::to_string(r_.kills_planned) + " ("
                + rec.node + ")";
    phase_ = what
             + (k.moment == kill_moment::checkpoint_in_flight
                  ? ": waiting for a checkpoint in flight"
                  : ": waiting for a checkpoint, then " + std::to_string(k.delay_ms) + " ms");
    if (!wait_for_moment(k.moment, k.delay_ms)) return false;
    rec.checkpoint_in_flight = in_flight_now();
    rec.complete_at_kill = ctx_.checkpoints.newest_complete();
    rec.at_s = since_start();
    auto t = wall_clock_ms();
    ctx_.cluster.kill(k.victim);
    auto during = rec.checkpoint_in_flight
                    ? " during checkpoint " + std::to_string(rec.checkpoint_in_flight)
                    : "";
    std::fprintf(stderr, "drill: %s: SIGKILL at %.2f s%s, restart in %" PRId64 " ms\n",
                 what.c_str(), rec.at_s, during.c_str(), k.pause_ms);
    phase_ = what + ": node down";
    std::string error;
    if (!pause(k.pause_ms)) return false;
    if (!ctx_.cluster.start(k.victim, true, error)) return fail(error);
    if (!record_resume(what, t, "kill", rec)) return false;
    r_.kills.push_back(rec);
    return true;
  }

  /// Waits for every node to process again after the SIGKILL(s) at unix ms `t`
  /// and records from which checkpoint and how long after `t` (the rollback).
  template <class Record>
  bool record_resume(const std::string& what, int64_t t, const char* stopped_by, Record& rec) {
    phase_ = what + ": waiting for every node to process again";
    cluster_resume c;
    if (!resumed(t, c)) return false;
    rec.restored_checkpoint = c.checkpoint;
    rec.rollback_ms = c.last_unix_ms - t;
    if constexpr (requires { rec.last_resume_stages; }) {
      rec.last_node = c.last_node;
      rec.last_resume_ms = c.last_resume_ms;
      rec.last_resume_stages = c.last_resume_stages;
    }
    std::fprintf(stderr,
                 "drill: %s: every node processing again from checkpoint %" PRIu64 ", %" PRId64
                 " ms after the %s\n",
                 what.c_str(), c.checkpoint, rec.rollback_ms, stopped_by);
    return true;
  }

  bool rescale(const planned_rescale& p) {
    rescale_record rec;
    rec.from_nodes = ctx_.cluster.size();
    rec.to_nodes = *ctx_.options.rescale_to;
    rec.pause_ms = p.pause_ms;
    auto what = "rescale " + std::to_string(rec.from_nodes) + " -> " + std::to_string(rec.to_nodes);
    phase_ = what + ": waiting for a checkpoint, then " + std::to_string(p.delay_ms) + " ms";
    if (!wait_for_moment(kill_moment::after_checkpoint, p.delay_ms)) return false;
    rec.checkpoint_in_flight = in_flight_now();
    rec.complete_at_kill = ctx_.checkpoints.newest_complete();
    rec.at_s = since_start();
    auto t = wall_clock_ms();
    ctx_.cluster.kill_all();
    std::fprintf(stderr, "drill: %s: SIGKILL of every node at %.2f s\n", what.c_str(), rec.at_s);
    phase_ = what + ": cluster down";
    std::string error;
    if (!pause(p.pause_ms)) return false;
    if (!ctx_.cluster.configure(rec.to_nodes, error) || !ctx_.cluster.start_all(true, error))
      return fail(error);
    if (!record_resume(what, t, "stop", rec)) return false;
    r_.rescale = rec;
    return true;
  }

  bool drain() {
    expect_running_ = false;
    phase_ = "draining";
    auto last_change = steady::now();
    auto seen = ctx_.checkpoints.newest_seen();
    auto running = ctx_.cluster.running();
    while (ctx_.cluster.running() > 0) {
      if (!tick()) return false;
      if (seen != ctx_.checkpoints.newest_seen() || running != ctx_.cluster.running())
        last_change = steady::now(), seen = ctx_.checkpoints.newest_seen(),
        running = ctx_.cluster.running();
      if (steady::now() - last_change > stall_timeout)
        return fail("no checkpoint and no node exit for 300 s while draining");
    }
    ctx_.cluster.poll();
    if (auto f = ctx_.cluster.failure(); !f.empty()) return fail(f);
    std::fprintf(stderr, "drill: every node drained and exited 0 after %.1f s\n", since_start());
    return true;
  }

  void progress() {
    auto now = steady::now();
    if (now - last_progress_ < std::chrono::seconds(1)) return;
    last_progress_ = now;
    auto newest = ctx_.checkpoints.newest_complete();
    if (newest != committed_id_) {
      checkpoint_manifest m;
      if (store_->load_manifest(newest, m)) {  // retention may just have removed it: next time
        committed_id_ = newest;
        committed_ = 0;
        for (const auto& p : m.positions) committed_ += static_cast<uint64_t>(p.next_offset);
      }
    }
    double secs = since_start();
    std::fprintf(
      stderr,
      "drill: %.1f s | nodes %u/%u up | committed %" PRIu64 "/%" PRIu64
      " events (%.1f%%, %.0f ev/s) | %" PRIu64 " checkpoints | kills %zu/%u | %s\n",
      secs, ctx_.cluster.running(), ctx_.cluster.size(), committed_, ctx_.events,
      ctx_.events ? 100.0 * static_cast<double>(committed_) / static_cast<double>(ctx_.events)
                  : 0.0,
      secs > 0 ? static_cast<double>(committed_) / secs : 0.0, ctx_.checkpoints.completed_count(),
      r_.kills.size(), r_.kills_planned, phase_.c_str());
  }

  drill_context& ctx_;
  drill_report& r_;
  std::unique_ptr<checkpoint_store> store_;
  steady::time_point start_ = steady::now();
  steady::time_point processing_start_ = steady::now();  // every node first processed
  std::unique_ptr<child_process> leave_command_;
  std::string leave_log_;
  steady::time_point last_progress_ = steady::now();
  std::string phase_;
  bool expect_running_ = false;  // a node that drains now ends the drill too early
  uint64_t run_floor_ = 0;       // newest checkpoint directory when the current run resumed
  uint64_t committed_ = 0, committed_id_ = 0;
};

}  // namespace

bool run_drill_scenario(drill_context& ctx, const drill_plan& plan, drill_report& r) {
  return scenario(ctx, r).run(plan);
}

}  // namespace rtfeat

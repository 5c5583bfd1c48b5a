// The end of a node's run (see node_finish.hpp).
#include "actors/node/node_finish.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <iostream>

#include "caf/all.hpp"
#include "actors/atoms.hpp"
#include "runtime/lifecycle/stop_signals.hpp"

namespace rtfeat::node {

namespace {

using clock = std::chrono::steady_clock;

/// librdkafka retries brokers on its own; the node says when none answers, at
/// most every 10 s, so an outage is named without flooding the log.
class kafka_watch {
public:
  void poll(node_sources& src, const job_config& cfg) {
    if (!src.consumer) return;
    std::string error;
    bool down = false;
    src.consumer->poll_events(error, down);
    auto now = clock::now();
    if (down && now - said_down_ >= std::chrono::seconds(10)) {
      said_down_ = now;
      std::cerr << "rtfeat node: kafka unreachable: no broker of " << cfg.source_bootstrap
                << " answers (" << error << "); retrying, the readers wait\n";
    } else if (!error.empty()) {
      std::cerr << "rtfeat: kafka: " << error << "\n";
    }
  }

private:
  clock::time_point said_down_{};
};

}  // namespace

std::string signal_name(int signo) {
  if (signo == SIGTERM) return "SIGTERM";
  if (signo == SIGINT) return "SIGINT";
  return "signal " + std::to_string(signo);
}

sink_wait wait_for_sinks(caf::scoped_actor& self, const job_graph& g, const job_config& cfg, node_sources& src,
                         node_report& report, const caf::actor& agent, shutdown_watchdog& watchdog) {
  sink_wait r;
  size_t drained = 0;
  bool stopping = false;
  bool remote_stop = false;
  kafka_watch kafka;
  auto tick = std::chrono::milliseconds(cfg.progress_interval_ms > 0 ? cfg.progress_interval_ms : 1000);
  while (drained < g.sinks.size() && !r.lost && r.new_epoch == 0 && r.failure.empty()
         && !r.timed_out) {
    auto wait = tick;
    if (stopping)  // wake up in time for the soft deadline
      wait = std::clamp(std::chrono::ceil<std::chrono::milliseconds>(watchdog.soft_deadline() - clock::now()),
                        std::chrono::milliseconds(1), tick);
    self->receive(
      [&](drained_atom, bool sink_ok) { ++drained, r.ok = r.ok && sink_ok; },
      [&](stalled_atom, const std::string& why) { r.failure = why, r.ok = false; },
      [&](stop_atom, const std::string& id) {  // cluster: a peer was asked to stop
        if (!stopping) std::cerr << "node: node '" << id << "' stops the cluster\n";
        remote_stop = true;
      },
      [&](lost_atom, const std::string& id, bool) {  // cluster: a peer is gone
        std::cerr << "node: lost node '" << id << "': stopping at once\n";
        r.lost = true, r.ok = false;
        r.failure = "lost cluster node '" + id + "'";
      },
      [&](membership_atom, uint64_t epoch) {  // cluster: a checkpoint, then a new member list
        std::cerr << "node: membership epoch " << epoch << " committed: stopping at once\n";
        r.new_epoch = epoch, r.ok = false;
        r.failure = "membership epoch " + std::to_string(epoch);
      },
      caf::after(wait) >>
        [&] {
          if (cfg.progress_interval_ms > 0 && !stopping)
            std::cerr << report.progress_line() << "\n";
          kafka.poll(src, cfg);
        });
    if ((stop_signal() != 0 || remote_stop) && !stopping) {
      stopping = r.stopped = true;
      watchdog.arm();
      if (stop_signal() != 0 && agent) self->send(agent, stop_atom::value);  // every node stops
      std::cerr << "node: stopping (" << (stop_signal() != 0 ? signal_name(stop_signal()) : "a peer's stop")
                << "): flushing state to Redis within node.shutdown_timeout_ms = " << cfg.shutdown_timeout_ms
                << " ms; a second signal exits at once\n";
      for (const auto& reader : g.readers) self->send(reader, stop_atom::value);
    }
    if (stopping && clock::now() >= watchdog.soft_deadline() && drained < g.sinks.size()) {
      r.timed_out = true, r.ok = false;
      r.failure = std::to_string(g.sinks.size() - drained) + " of " + std::to_string(g.sinks.size())
                  + " sinks had not written everything to Redis within node.shutdown_timeout_ms = "
                  + std::to_string(cfg.shutdown_timeout_ms) + " ms";
    }
  }
  return r;
}

bool final_checkpoint(caf::scoped_actor& self, const job_graph& g, const job_config& cfg,
                      const shutdown_watchdog& watchdog, std::string& why) {
  if (!g.snapshot_writer || cfg.checkpoint_interval_ms <= 0) return why = "checkpoints are off", false;
  auto budget = std::chrono::milliseconds(cfg.checkpoint_timeout_ms + 1000);
  if (watchdog.armed())
    budget = std::min(budget, std::chrono::ceil<std::chrono::milliseconds>(watchdog.soft_deadline() - clock::now()));
  if (budget <= std::chrono::milliseconds(0))
    return why = "no time left within node.shutdown_timeout_ms", false;
  bool committed = false;
  self->request(g.coordinator, budget, final_atom::value)
    .receive([&](bool c) { committed = c; }, [&](caf::error& e) { why = to_string(e); });
  if (!committed && why.empty()) why = "it was aborted (see above)";
  return committed;
}

}  // namespace rtfeat::node

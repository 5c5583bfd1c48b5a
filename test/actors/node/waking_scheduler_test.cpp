// The node's scheduler (actors/node/waking_scheduler.hpp) on a real actor system of
// two workers: a message one actor sends while its worker stays busy runs on the
// other, sleeping worker at once, not after that worker's nap. The naps here are
// 10 s long, so only a wake-up can make the message run in time; CAF's own work
// stealing, with the same nap, shows the test can fail.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include "caf/all.hpp"
#include "actors/node/waking_scheduler.hpp"

namespace {

using namespace std::chrono_literals;

/// How long after an actor sent a message to a peer the peer ran it, while the
/// sender kept its worker busy for up to `patience`; nullopt if it did not run.
std::optional<std::chrono::milliseconds> sent_runs_while_sender_busy(bool waking, std::chrono::milliseconds patience) {
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", 2);
  cfg.set("logger.verbosity", caf::atom("quiet"));
  cfg.set("work-stealing.moderate-poll-attempts", size_t{1});
  cfg.set("work-stealing.relaxed-sleep-duration", caf::timespan{10s});
  if (waking) rtfeat::node::use_waking_scheduler(cfg);
  caf::actor_system sys{cfg};
  auto ran = std::make_shared<std::atomic<bool>>(false);
  auto peer = sys.spawn([ran](caf::event_based_actor*) -> caf::behavior {
    return {[ran](int) { ran->store(true); }};
  });
  auto sender = sys.spawn([peer, ran, patience](caf::event_based_actor* self) -> caf::behavior {
    return {[self, peer, ran, patience](int) -> int64_t {
      self->send(peer, 1);  // queued on this worker, which now stays busy
      auto start = std::chrono::steady_clock::now();
      while (!ran->load() && std::chrono::steady_clock::now() - start < patience) std::this_thread::yield();
      if (!ran->load()) return -1;
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    }};
  });
  std::this_thread::sleep_for(300ms);  // both workers past their polls, asleep
  std::optional<std::chrono::milliseconds> out;
  caf::scoped_actor self{sys};
  self->request(sender, caf::infinite, 0)
    .receive([&](int64_t ms) { if (ms >= 0) out = std::chrono::milliseconds(ms); },
             [&](const caf::error& e) { FAIL("the sender failed: " << sys.render(e)); });
  self->send_exit(sender, caf::exit_reason::user_shutdown);
  self->send_exit(peer, caf::exit_reason::user_shutdown);
  return out;
}

}  // namespace

TEST_SUITE("actors.node.waking_scheduler") {
  TEST_CASE("a message sent by a busy actor runs on the sleeping worker at once") {
    auto took = sent_runs_while_sender_busy(true, 5000ms);
    REQUIRE(took.has_value());
    CHECK(took->count() < 1000);
  }

  TEST_CASE("with CAF's own work stealing the same message waits for the sleeper's nap") {
    CHECK_FALSE(sent_runs_while_sender_busy(false, 500ms).has_value());
  }
}

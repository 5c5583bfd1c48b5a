// The node's CAF scheduler: CAF 0.17's work stealing, except that an idle worker
// sleeps until there is work instead of waking every relaxed nap to look for some.
// CAF wakes a sleeping worker only for a job queued to that worker from outside the
// scheduler; a job a worker queues for itself (one actor sending to another) waited
// for the sleeper's next nap, so the nap had to be short (2 ms) and an idle node's
// two workers woke 1000 times a second. Here whoever queues a job wakes a sleeping
// worker, which steals it; the nap is only a safety net (docs/performance.md, "The
// idle bench").
#pragma once

#include <atomic>
#include <mutex>
#include <thread>

#include "caf/actor_system_config.hpp"
#include "caf/policy/work_stealing.hpp"
#include "caf/scheduler/coordinator.hpp"

namespace rtfeat::node {

class waking_work_stealing : public caf::policy::work_stealing {
public:
  using base = caf::policy::work_stealing;

  struct worker_data : base::worker_data {
    explicit worker_data(caf::scheduler::abstract_coordinator* parent) : base::worker_data(parent) {}
    // A fresh flag per worker: CAF copies one prototype into every worker.
    worker_data(const worker_data& other) : base::worker_data(other) {}
    worker_data& operator=(const worker_data&) = delete;
    ~worker_data() = default;

    // CAF's waitdata.sleeping is a plain bool only its external_enqueue (replaced here) reads.
    std::atomic<bool> asleep{false};  // read by other threads without the lock
    bool woken = false;               // under waitdata.lock: someone has work for this worker
  };

  /// A job from outside the scheduler (the timer, a detached actor, another thread):
  /// its worker wakes if asleep, else a sleeping peer, which steals it.
  template <class Worker>
  void external_enqueue(Worker* self, caf::resumable* job) {
    d(self).queue.append(job);
    std::atomic_thread_fence(std::memory_order_seq_cst);  // pairs with the sleeper's check
    if (!wake(self)) wake_a_peer(self);
  }

  /// A job the running actor sent: queued at this worker's head as in CAF, and a
  /// sleeping peer wakes to steal it (this worker is busy until its job ends).
  template <class Worker>
  void internal_enqueue(Worker* self, caf::resumable* job) {
    d(self).queue.prepend(job);
    std::atomic_thread_fence(std::memory_order_seq_cst);
    wake_a_peer(self);
  }

  /// CAF's aggressive and moderate polls, then: take or steal, else sleep until woken.
  /// Runs in: the worker's thread.
  template <class Worker>
  caf::resumable* dequeue(Worker* self) {
    auto& data = d(self);
    for (size_t k = 0; k < 2; ++k) {
      const auto& s = data.strategies[k];
      for (size_t i = 0; i < s.attempts; i += s.step_size) {
        if (auto* job = data.queue.take_head()) return job;
        if (i % s.steal_interval == 0)
          if (auto* job = steal_any(self)) return job;
        if (s.sleep_duration.count() > 0) std::this_thread::sleep_for(s.sleep_duration);
      }
    }
    for (;;) {
      if (auto* job = data.queue.take_head()) return job;
      if (auto* job = steal_any(self)) return job;
      std::unique_lock<std::mutex> guard(data.waitdata.lock);
      data.asleep.store(true);  // seq_cst: a job queued after this sees it, one queued before is seen below
      if (data.queue.empty() && !peer_has_work(self))
        data.waitdata.cv.wait_for(guard, data.strategies[2].sleep_duration,
                                  [&] { return data.woken || !data.queue.empty(); });
      data.woken = false;
      data.asleep.store(false, std::memory_order_relaxed);
    }
  }

private:
  template <class Worker>
  static bool wake(Worker* w) {
    auto& data = d(w);
    if (!data.asleep.load()) return false;
    std::lock_guard<std::mutex> guard(data.waitdata.lock);
    if (!data.woken) {
      data.woken = true;
      data.waitdata.cv.notify_one();
    }
    return true;
  }

  template <class Worker>
  static void wake_a_peer(Worker* self) {
    auto* parent = self->parent();
    for (size_t i = 0; i < parent->num_workers(); ++i) {
      auto* w = parent->worker_by_id(i);
      if (w != self && wake(w)) return;
    }
  }

  template <class Worker>
  static bool peer_has_work(Worker* self) {
    auto* parent = self->parent();
    for (size_t i = 0; i < parent->num_workers(); ++i) {
      auto* w = parent->worker_by_id(i);
      if (w != self && !d(w).queue.empty()) return true;
    }
    return false;
  }

  /// The oldest job of the first peer that has one (CAF picks one peer at random:
  /// a worker woken for a job must find it).
  template <class Worker>
  static caf::resumable* steal_any(Worker* self) {
    auto* parent = self->parent();
    auto n = parent->num_workers();
    for (size_t k = 1; k < n; ++k) {
      auto* w = parent->worker_by_id((self->id() + k) % n);
      if (auto* job = d(w).queue.take_tail()) return job;
    }
    return nullptr;
  }
};

/// Makes `cfg`'s actor system schedule with waking_work_stealing (the work-stealing
/// options still apply; relaxed-sleep-duration becomes the sleeper's safety-net nap).
inline void use_waking_scheduler(caf::actor_system_config& cfg) {
  cfg.module_factories.emplace_back([](caf::actor_system& sys) -> caf::actor_system::module* {
    return new caf::scheduler::coordinator<waking_work_stealing>(sys);
  });
}

}  // namespace rtfeat::node

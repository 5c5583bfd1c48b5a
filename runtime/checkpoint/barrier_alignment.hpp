// Barrier alignment of one shard (SPEC §5, Chandy-Lamport as in Flink): once a
// reader has delivered barrier n, its later messages wait until every reader
// has delivered n, so the snapshot holds exactly the events before the barrier.
#pragma once

#include <cstdint>
#include <algorithm>
#include <deque>
#include <utility>
#include <vector>

namespace rtfeat {

template <class Message>
class barrier_alignment {
public:
  explicit barrier_alignment(size_t readers) : blocked_(readers, false), held_(readers) {}

  /// True while reader `r`'s messages must wait.
  bool is_blocked(size_t r) const { return blocked_.at(r); }

  /// Holds a message of a blocked reader, in arrival order.
  void hold(size_t r, Message m) { held_.at(r).push_back(std::move(m)); }

  /// Reader `r` delivered barrier `id`. Returns true when this completes the
  /// alignment of `id` (every reader delivered it).
  bool on_barrier(size_t r, uint64_t id) {
    // REQUIRES: a pending older barrier was released first (it was abandoned).
    if (id != id_) id_ = id, arrived_ = 0;
    if (blocked_.at(r)) return false;
    blocked_[r] = true;
    return ++arrived_ == blocked_.size();
  }

  uint64_t current() const { return id_; }
  /// True while some reader delivered the current barrier but not all did.
  bool pending() const { return arrived_ > 0; }

  /// After the snapshot: unblocks every reader and returns the held messages,
  /// per reader in order (readers are independent, so their order is free).
  std::vector<Message> release() {
    std::fill(blocked_.begin(), blocked_.end(), false);
    arrived_ = 0;
    std::vector<Message> out;
    for (auto& q : held_) {
      for (auto& m : q) out.push_back(std::move(m));
      q.clear();
    }
    return out;
  }

private:
  std::vector<bool> blocked_;
  std::vector<std::deque<Message>> held_;
  uint64_t id_ = 0;
  size_t arrived_ = 0;
};

}  // namespace rtfeat

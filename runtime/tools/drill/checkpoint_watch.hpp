// What is happening in a checkpoint directory, seen from outside the nodes by
// polling it every few milliseconds: which checkpoints completed (their MANIFEST
// appeared) and which one is in flight (its kg-*.snap files are being written,
// no MANIFEST yet). Layout from checkpoint_store.hpp: <dir>/chk-<id>/.
#pragma once

#include <cstdint>
#include <set>
#include <string>

namespace rtfeat {

class checkpoint_watch {
public:
  explicit checkpoint_watch(std::string dir) : dir_(std::move(dir)) {}

  /// Scans the directory again. Blocks: a directory listing and a few stats.
  void poll();

  /// The newest checkpoint with a MANIFEST, 0 = none yet.
  uint64_t newest_complete() const { return completed_.empty() ? 0 : *completed_.rbegin(); }
  /// A checkpoint newer than every complete one with at least one file and no
  /// MANIFEST at the last poll, 0 = none. (One between its barrier and its first
  /// file is invisible from outside: it counts as not in flight.)
  uint64_t in_flight() const { return in_flight_; }
  /// The highest checkpoint id with a directory, complete or not, 0 = none. A
  /// checkpoint started later gets a higher id (checkpoint_store::next_id), so
  /// in_flight() > newest_seen() of an earlier poll is a new one, not the debris
  /// of one cut by a kill.
  uint64_t newest_seen() const { return newest_seen_; }
  /// Every checkpoint seen complete so far, even ones retention deleted since.
  uint64_t completed_count() const { return completed_.size(); }
  bool was_completed(uint64_t id) const { return completed_.count(id) > 0; }

private:
  std::string dir_;
  std::set<uint64_t> completed_;
  uint64_t in_flight_ = 0;
  uint64_t newest_seen_ = 0;
};

}  // namespace rtfeat

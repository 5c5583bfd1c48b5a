// Which entities of a feature state the next save() must write: so that a
// checkpoint's pause on its shard follows the rate of change, not the size of
// the state. The first save() writes every entity and starts the tracking (a
// state never saved, checkpoints off, tracks nothing); each later one writes
// the entities changed since and names those erased since.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/features/snapshot_sink.hpp"

namespace rtfeat {

template <class Key>
class save_tracker {
public:
  /// Kept inside each entity.
  struct flags {
    bool unsaved = false;  // listed: the next save writes it
    bool saved = false;    // a save wrote it: its erasure must be saved too
  };

  /// The entity's saved state changed, or it is new.
  void changed(const Key& key, flags& f) {
    if (tracking_ && !f.unsaved) f.unsaved = true, unsaved_.push_back(key);
  }
  /// The entity is about to be erased; `routing_key` and `identity` as save() puts it.
  void erased(const flags& f, std::string_view routing_key, std::string_view identity) {
    if (f.saved) gone_.push_back({std::string(routing_key), std::string(identity)});
  }

  /// The erasures, then put(key) for each entity to write, into `out`.
  /// for_each(fn) calls fn(key, flags&) for every entity (the first save);
  /// flags_of(key) is the entity's flags, nullptr when it is gone.
  template <class ForEach, class FlagsOf, class Put>
  void save(snapshot_sink& out, ForEach&& for_each, FlagsOf&& flags_of, Put&& put) {
    save(out, for_each, flags_of, put, [](const Key&, int) {});
  }
  /// The same; prefetch(key, 0) then, a few entities later, prefetch(key, 1)
  /// may start fetching what flags_of and put read: the changed entities lie
  /// scattered over a large state, and waiting for memory is most of the cost.
  template <class ForEach, class FlagsOf, class Put, class Prefetch>
  void save(snapshot_sink& out, ForEach&& for_each, FlagsOf&& flags_of, Put&& put, Prefetch&& prefetch) {
    if (!tracking_) {
      tracking_ = true;
      for_each([&](const Key& key, flags& f) { f = {false, true}, put(key); });
      return;
    }
    for (const auto& g : gone_) out.erase(g.routing_key, g.identity);
    gone_.clear();
    // A key listed twice (erased, then back under the same key) is put once: the flag is cleared.
    constexpr size_t far = 16, near = 8;  // entities ahead: two dependent fetches each (an index, then a row)
    for (size_t i = 0; i < unsaved_.size(); ++i) {
      if (i + far < unsaved_.size()) prefetch(unsaved_[i + far], 0);
      if (i + near < unsaved_.size()) prefetch(unsaved_[i + near], 1);
      if (auto* f = flags_of(unsaved_[i]); f != nullptr && f->unsaved) *f = {false, true}, put(unsaved_[i]);
    }
    unsaved_.clear();
  }

private:
  struct gone {
    std::string routing_key, identity;
  };
  bool tracking_ = false;
  std::vector<Key> unsaved_;
  std::vector<gone> gone_;  // before unsaved_ at a save: an entity erased and back is put last
};

}  // namespace rtfeat

// Distinct users per entity into a Redis HyperLogLog (SPEC §3 #8, #9). The
// registers are a pure function of the member set, so writing the exact set
// (PFADD of new members, or DEL + PFADD when members left a sliding window)
// makes Redis exact with respect to the set. A member leaves only when its
// newest visit leaves the window, so most slides rewrite nothing. Unbounded
// sets keep no members, only the registers (hll_sketch): enough to skip
// members that change nothing and to rewrite a key Redis lost.
// Members are user ids interned once per shard (the shard's user interner):
// an entity's set is a map of integers, and a slide visits only the members
// of the buckets that leave, not every member of the entity.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "runtime/features/entity_table.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/features/feature_state.hpp"
#include "runtime/features/hll_sketch.hpp"
#include "runtime/flat_map.hpp"
#include "runtime/window/bucket_index.hpp"

namespace rtfeat {

class distinct_users final : public feature_state {
public:
  /// `members`: the interner of user ids this state's members go to (the
  /// shard's user interner), which must outlive the state; null: its own.
  explicit distinct_users(const compiled_feature& f, entity_interner* ids = nullptr, entity_interner* members = nullptr)
    : feature_state(f.scope, ids), f_(f), sliding_(f.def.window.kind != window_kind::unbounded),
      own_members_(members == nullptr ? std::make_unique<entity_interner>() : nullptr),
      members_(members == nullptr ? own_members_.get() : members), entities_(this->ids()) {}
  void add_to(entity_id id, const event& e, int64_t wm_at_read, uint64_t seq) override;
  void advance(int64_t watermark) override;
  void flush(std::vector<key_update>& out) override;
  size_t entities() const override { return entities_.size(); }
  void save(const writer_for& out) const override;
  bool load(state_reader& in) override;
  void rewrite_all() override;

private:
  /// The members first seen in one slide bucket, or seen again there after an
  /// older one; an entry is stale when its member moved on to a newer bucket.
  struct bucket_members {
    int64_t start = 0;
    std::vector<entity_id> members;
  };
  struct entity_state {
    std::string key;
    // sliding only: each member of the window (a reference each) with the newest bucket it was
    // seen in; the window's set at tail T is every member whose bucket is >= T
    flat_map<entity_id, int64_t> newest;
    std::vector<bucket_members> buckets;  // sliding only: ascending start, the index of `newest` by bucket
    std::vector<entity_id> added;  // members not yet in Redis, a reference each (unbounded: may repeat)
    hll_sketch registers;          // unbounded only: what Redis holds once `added` is written
    int64_t indexed_bucket = no_watermark;  // the index holds the entity under this bucket
    bool evicted = false;                   // members left (unbounded: a rewrite): write the whole set
  };
  using table = entity_table<entity_state>;
  static std::vector<entity_id>& members_of(entity_state& st, int64_t bucket);
  void index(entity_id id, entity_state& st, int64_t bucket);
  void evict(table::row& r);

  const compiled_feature& f_;
  bool sliding_;
  int64_t tail_ = no_watermark;
  std::unique_ptr<entity_interner> own_members_;
  entity_interner* members_;  // declared before entities_: rows never outlive the ids they hold
  table entities_;
  basic_bucket_index<entity_id> index_;  // each entity once, under its oldest bucket
};

}  // namespace rtfeat

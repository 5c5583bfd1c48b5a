// Distinct users per entity into a Redis HyperLogLog (SPEC §3 #8, #9). The
// registers are a pure function of the member set, so writing the exact set
// (PFADD of new members, or DEL + PFADD when members left a sliding window)
// makes Redis exact with respect to the set. A member leaves only when its
// newest visit leaves the window, so most slides rewrite nothing. Unbounded
// sets keep no members, only the registers (hll_sketch): enough to skip
// members that change nothing and to rewrite a key Redis lost.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "runtime/features/entity_table.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/features/feature_state.hpp"
#include "runtime/flat_map.hpp"
#include "runtime/hll_sketch.hpp"
#include "runtime/window/bucket_index.hpp"

namespace rtfeat {

class distinct_users final : public feature_state {
public:
  explicit distinct_users(const compiled_feature& f, entity_interner* ids = nullptr)
    : feature_state(f.scope, ids), f_(f), sliding_(f.def.window.kind != window_kind::unbounded), entities_(this->ids()) {}
  void add_to(entity_id id, const event& e, int64_t wm_at_read, uint64_t seq) override;
  void advance(int64_t watermark) override;
  void flush(std::vector<key_update>& out) override;
  size_t entities() const override { return entities_.size(); }
  void save(snapshot_sink& out) override;
  bool load(state_reader& in) override;
  void reserve(size_t entities) override { entities_.reserve(entities); }
  void rewrite_all() override;

private:
  struct entity_state {
    std::string key;
    // sliding only: each member of the window with the newest bucket it was seen in;
    // the window's set at tail T is every member whose bucket is >= T
    string_map<int64_t> newest;
    std::vector<std::string> added;  // members not yet in Redis (unbounded: may repeat)
    hll_sketch registers;            // unbounded only: what Redis holds once `added` is written
    int64_t indexed_bucket = no_watermark;  // the index holds the entity under this bucket
    bool evicted = false;                   // members left (unbounded: a rewrite): write the whole set
  };
  using table = entity_table<entity_state>;
  void reindex(entity_id id, entity_state& st);
  void evict(table::row& r);

  const compiled_feature& f_;
  bool sliding_;
  int64_t tail_ = no_watermark;
  table entities_;
  basic_bucket_index<entity_id> index_;  // each entity once, under (at most) its oldest member bucket
  std::vector<std::pair<int64_t, const std::string*>> save_order_;  // save(): one entity's members, sorted
};

}  // namespace rtfeat

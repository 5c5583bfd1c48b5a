// A user's windowed sum and its decile tier among all users (SPEC §3 #6): the
// state lives in the one "all" group so every buyer is ranked against every
// other; the tier of many users can change with one purchase.
#pragma once

#include <string>
#include "runtime/flat_map.hpp"
#include <utility>
#include <vector>

#include "runtime/features/feature_plan.hpp"
#include "runtime/features/feature_state.hpp"
#include "runtime/features/save_tracker.hpp"
#include "runtime/wide_int.hpp"
#include "runtime/window/bucket_index.hpp"

namespace rtfeat {

class user_tiers final : public feature_state {
public:
  explicit user_tiers(const compiled_feature& f, entity_interner* ids = nullptr)
    : feature_state(f.scope, ids), f_(f) {}
  /// Keyed by category / user inside its shard: the scope's id is not used.
  void add_to(entity_id id, const event& e, int64_t wm_at_read, uint64_t seq) override;
  void advance(int64_t watermark) override;
  void flush(std::vector<key_update>& out) override;
  size_t entities() const override { return users_.size(); }
  void save(snapshot_sink& out) override;
  bool load(state_reader& in) override;
  void reserve(size_t entities) override { users_.reserve(entities); }
  void rewrite_all() override;

private:
  struct user_state {
    std::vector<std::pair<int64_t, wide_int>> buckets;  // (start, units), ascending; wide: exact sums
    std::string amount_key, tier_key;
    wide_int written_amount = 0;  // the sum whose text was written; 0 = nothing (a sum <= 0 writes nothing)
    int written_tier = 0;        // 0 = nothing written
    bool rewrite = false;        // after a restore: write both whatever they are
    save_tracker<std::string>::flags saved;
    wide_int sum() const;
  };
  void write_user(user_state& u, const std::vector<wide_int>& sorted, std::vector<key_update>& out) const;

  const compiled_feature& f_;
  int64_t tail_ = no_watermark;
  string_map<user_state> users_;
  bucket_index index_;
  bool changed_ = false;
  save_tracker<std::string> saves_;  // users, all saved under the key group of "all"
};

}  // namespace rtfeat

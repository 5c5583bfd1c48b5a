// Gaps between a user's newest events of a kind, unbounded window (SPEC §3 #3):
// purchase_gap_1 is the newest gap. Only the k + 1 newest events matter.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "runtime/features/entity_table.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/features/feature_state.hpp"

namespace rtfeat {

class purchase_intervals final : public feature_state {
public:
  explicit purchase_intervals(const compiled_feature& f, entity_interner* ids = nullptr)
    : feature_state(f.scope, ids), f_(f), users_(this->ids()) {}
  void add_to(entity_id id, const event& e, int64_t wm_at_read, uint64_t seq) override;
  void advance(int64_t) override {}
  void flush(std::vector<key_update>& out) override;
  size_t entities() const override { return users_.size(); }
  void save(snapshot_sink& out) override;
  bool load(state_reader& in) override;
  void reserve(size_t entities) override { users_.reserve(entities); }
  void rewrite_all() override;

private:
  struct user_state {
    std::vector<std::pair<int64_t, uint64_t>> times;  // (ts, seq) ascending, at most k + 1
    std::string key;
    std::vector<std::string> written;  // gap texts written, newest first
  };
  const compiled_feature& f_;
  entity_table<user_state> users_;
};

}  // namespace rtfeat

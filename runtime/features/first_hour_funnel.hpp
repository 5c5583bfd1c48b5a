// Ordered funnel within the first D after a user is first seen (SPEC §3 #7):
// F = the user's smallest kept ts of any behaviour; the steps reached walking
// the step events of [F, F + D) in (ts, log order). An earlier event that
// arrives late moves F, so the step events of the first hour are kept.
#pragma once

#include <string>
#include <vector>

#include "runtime/features/entity_table.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/features/feature_state.hpp"

namespace rtfeat {

class first_hour_funnel final : public feature_state {
public:
  explicit first_hour_funnel(const compiled_feature& f, entity_interner* ids = nullptr)
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
  struct step_event {
    int64_t ts;
    uint64_t seq;
    uint8_t kind;
  };
  struct user_state {
    int64_t first_seen = 0;
    std::vector<step_event> steps;  // ascending (ts, seq), all in [first_seen, first_seen + D)
    std::string key;
    size_t written = 0;  // steps reached as written (0 = no field)
  };
  size_t reached(const user_state& u) const;

  const compiled_feature& f_;
  entity_table<user_state> users_;
};

}  // namespace rtfeat

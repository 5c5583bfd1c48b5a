// State of the user features of one shard (count per category, histogram per
// band): per user, per Redis field, exact per-slide counts. Plain C++, driven
// by the user shard actor and tested without one.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/event.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/features/key_update.hpp"
#include "runtime/window/sliding_window.hpp"

namespace rtfeat {

class user_features {
public:
  explicit user_features(const feature_plan& plan);

  /// Counts `e` in every rule it matches. `wm_at_read` is its reader's W_p
  /// before it (per-feature lateness).
  void add(const event& e, int64_t wm_at_read);

  /// Moves event time to `watermark`: buckets before each window's tail leave.
  void advance(int64_t watermark);

  /// Appends absolute values for every field changed since the last flush.
  void flush(std::vector<key_update>& out);

  size_t users() const { return users_.size(); }

private:
  struct field_counter {
    std::string field;
    uint32_t key_slot = 0;
    uint32_t window_slot = 0;
    bucket_counts counts;
    bool dirty = false;
  };
  struct user_state {
    std::vector<field_counter> fields;
    bool dirty = false;
  };

  void count(const std::string& user, user_state& st, const user_field_rule& rule,
             const std::string& field, int64_t bucket);
  bool label_of(const user_field_rule& rule, const event& e, std::string& label) const;
  void flush_user(const std::string& user, user_state& st, std::vector<key_update>& out);

  const feature_plan& plan_;
  std::unordered_map<std::string, user_state> users_;
  std::vector<int64_t> tails_;  // per window slot
  // Per window slot: bucket start -> users that have a bucket there.
  std::vector<std::map<int64_t, std::vector<std::string>>> expiry_;
  std::vector<std::string> dirty_;
};

}  // namespace rtfeat

// Point-in-time feature values for training data (rtfeat export): the oracle's
// evaluators applied to a growing prefix of the log, per entity, so that a label
// at time t gets what Redis held after the engine had read the log up to t.
//
// The prefix grows in log order (advance_to). A value is the feature evaluated,
// at the prefix's watermark (docs/semantics.md "Final watermark"), over the
// events that can decide it: the entity's own, its category's for a
// percentile_rank, everybody's for a tier. Each such group is evaluated again
// only when it gained an event or its window moved; events that no later window
// can hold are dropped, so a label costs the size of a window, not of the log
// (and additive sliding features are kept as slide-bucket sums: bucket_sums.hpp).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/feature_catalogue.hpp"
#include "config/model_config.hpp"
#include "oracle/bucket_sums.hpp"
#include "oracle/expected_state.hpp"
#include "oracle/feature_events.hpp"

namespace rtfeat::oracle {

class point_in_time {
public:
  /// `log`: the kept events of the whole log in log order (read_event_log), with
  /// their partitions. `wanted`: the (feature, entity) pairs values() is asked
  /// for. REQUIRES: `cat` and `log` outlive this; every wanted feature is in `cat`.
  point_in_time(const feature_catalogue& cat,
                const std::vector<std::pair<std::string, model_entity>>& wanted,
                const std::vector<kept_event>& log, int32_t partitions,
                int64_t out_of_orderness_ms);

  /// Extends the prefix to the first `end` events of the log. REQUIRES: end only grows.
  void advance_to(size_t end);
  size_t prefix() const { return seen_; }

  /// W of the prefix: the minimum of W_p over the partitions with a kept event.
  std::optional<int64_t> watermark() const;

  /// The keys `feature` writes for the user or item `id`, evaluated on the prefix
  /// (other entities' keys may be in it too, and `undefined_fields` names the
  /// values docs/semantics.md leaves undefined). Valid until the next call.
  /// REQUIRES: (feature, entity) was wanted.
  const expected_state& values(std::string_view feature, model_entity entity,
                               const std::string& id);

private:
  // The events that can decide some values (copies, in log order, so that the
  // evaluators read them in place), with the last evaluation, valid while no
  // event came and the window did not move.
  struct group {
    std::vector<kept_event> events;      // the plain evaluators' input, or
    std::unique_ptr<bucket_sums> sums;   // for the additive sliding features
    bool empty() const { return events.empty() && sums == nullptr; }
    uint64_t version = 0;
    bool evaluated = false;
    uint64_t evaluated_version = 0;
    int64_t evaluated_window = 0;
    std::string evaluated_item;  // a summed percentile_rank evaluates one item's key
    expected_state values;
  };
  enum class grouping : uint8_t { by_user, by_item, by_category, everybody };
  struct tracked {
    const feature_def* def = nullptr;
    model_entity entity = model_entity::user;
    grouping by = grouping::by_user;
    bool summed = false;  // bucket_sums::applies
    std::vector<kept_event> no_events;  // the scope below filters one event at a time
    feature_events filter;
    std::unordered_map<std::string, group> by_id;          // by_user, by_item
    std::map<int64_t, group> by_category;                  // by_category
    std::unordered_map<std::string, std::set<int64_t>> item_categories;  // by_category
    group all;                                             // everybody
    tracked(const feature_def& f, model_entity e);
  };

  void add(uint32_t index);
  /// Drops what no later window holds; returns the group's window stamp.
  int64_t prune(const tracked& t, group& g, int64_t w) const;
  const expected_state& evaluate(tracked& t, group& g, const std::string* only_item = nullptr);
  const expected_state& evaluate_categories(tracked& t, const std::set<int64_t>& categories);

  const std::vector<kept_event>& log_;
  int64_t out_of_orderness_ms_ = 0;
  std::vector<std::optional<int64_t>> max_ts_;  // per partition, over the prefix
  std::vector<std::unique_ptr<tracked>> tracked_;
  std::vector<kept_event> merged_;
  expected_state merged_values_;
  const expected_state nothing_;
  int32_t partitions_with_data_ = 0;
  size_t seen_ = 0;
};

}  // namespace rtfeat::oracle

// The behaviour model behind `rtfeat gen --intent`: users come in sessions of
// browsing one category, a few items trend for half an hour at a time, and a view
// is followed minutes later by a click, cart or purchase of the same item with a
// probability that real-time features can see (docs/training.md).
#pragma once

#include <cstdint>
#include <optional>
#include <queue>
#include <random>
#include <vector>

#include "runtime/event.hpp"
#include "runtime/tools/gen/catalog.hpp"
#include "runtime/tools/gen/zipf_sampler.hpp"

namespace rtfeat {

/// A click, cart or purchase the model intends to emit once `due_ts` is reached.
struct follow_up {
  int64_t due_ts = 0;
  uint64_t order = 0;  // scheduling order: equal due times keep it
  uint32_t user = 0;
  uint32_t item = 0;
  behavior kind = behavior::click;
};

/// Plain C++, not thread-safe; one per event_generator. It only ever sees nominal
/// times (non-decreasing) and draws from its own generator, so that the traffic of
/// a plain `rtfeat gen` is the same with or without this file.
class intent_model {
public:
  /// REQUIRES: `items` outlives the model; users, categories >= 1.
  intent_model(const catalog& items, uint32_t users, uint32_t item_count, uint32_t categories,
               uint64_t seed);

  /// The user of the next drawn line at `now` instead of `drawn`: one in a session,
  /// or `drawn` itself, who may start a session.
  uint32_t pick_user(uint32_t drawn, int64_t now);

  /// The item of `user`'s next item event at `now` instead of `drawn`: one of the
  /// category of the user's session, a trending item, or `drawn` itself.
  uint32_t pick_item(uint32_t user, uint32_t drawn, int64_t now);

  /// Records an item event that was written; a view may schedule a follow-up.
  void observe(uint32_t user, uint32_t item, behavior kind, int64_t now);

  /// Removes and returns the earliest follow-up due at or before `now`.
  std::optional<follow_up> pop_due(int64_t now);

  /// P(a view of `item` by `user` at `now` gets a follow-up).
  double follow_up_probability(uint32_t user, uint32_t item, int64_t now) const;

private:
  struct recent_click {
    int64_t ts = INT64_MIN;
    uint32_t category = 0;
  };
  static constexpr size_t clicks_kept = 8;
  struct user_state {
    int64_t session_until = INT64_MIN;
    uint32_t session_category = 0;
    uint32_t next_click = 0;
    recent_click clicks[clicks_kept];
  };
  struct trend {
    uint32_t item = 0;
    int64_t until = 0;
  };
  struct later_first {
    bool operator()(const follow_up& a, const follow_up& b) const {
      return a.due_ts != b.due_ts ? a.due_ts > b.due_ts : a.order > b.order;
    }
  };

  void advance(int64_t now);
  bool in_session(const user_state& u, int64_t now) const { return now < u.session_until; }
  bool is_trending(uint32_t item) const;
  uint32_t category_clicks(const user_state& u, uint32_t category, int64_t now) const;
  void schedule(uint32_t user, uint32_t item, int64_t now);

  const catalog& items_;
  uint64_t seed_;
  std::mt19937_64 rng_;
  std::vector<user_state> users_;
  std::vector<uint32_t> sessions_;  // users whose session may still be open
  std::vector<std::vector<uint32_t>> items_by_category_;  // [category - 1], shop's popular first
  std::vector<zipf_sampler> category_samplers_;
  std::vector<trend> trends_;
  int64_t next_trend_ts_ = INT64_MIN;
  uint32_t item_count_;
  uint64_t scheduled_ = 0;
  std::priority_queue<follow_up, std::vector<follow_up>, later_first> pending_;
};

}  // namespace rtfeat

// intent_model: the follow-up probability is a product of factors, each a signal
// tied to the inputs that can see it: per-user propensity and per-item appeal
// (offline tables, faintly), price band (offline price; per user, the real-time
// cheap-click count), the user's session category and clicks in the item's
// category in the last 30 min, the item trending (real-time features), and the
// hour (context). Sessions exist because real-time features see nothing of a user
// whose events are spread evenly over the day: shoppers come in bursts.
#include "runtime/tools/gen/intent_model.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "runtime/tools/gen/random.hpp"

namespace rtfeat {

namespace {

constexpr int64_t minute_ms = 60'000;
constexpr double session_share = 0.7;   // drawn lines given to a user in a session
constexpr double session_start = 0.1;   // P(a drawn user out of session starts one)
constexpr double interest_share = 0.5;  // session events steered into its category
constexpr double trend_share = 0.1;     // item events steered to a trending item
// Flatter than the shop's item skew: the same user seeing and clicking the same top
// item of a category by chance would drown the follow-ups (chance positives).
constexpr double category_item_skew = 0.5;
constexpr int64_t trend_every_ms = 10 * minute_ms;  // a new trending item; ~3 at a time
constexpr int64_t trend_ms = 30 * minute_ms;
constexpr int64_t interest_window_ms = 30 * minute_ms;  // as user_category_clicks' window
constexpr double session_category_factor = 2.0;
constexpr double per_category_click_factor = 0.6;  // up to 4 clicks
constexpr double trending_factor = 3.0;
constexpr double mean_delay_ms = 150'000;
constexpr int64_t min_delay_ms = 5'000;
constexpr int64_t max_delay_ms = 30 * minute_ms;
constexpr double max_probability = 0.9;

// Price bands of feature 5: 0-50, 50-100, 100-200, 200-500, 500-1000, 1000+.
constexpr std::array<int64_t, 5> band_edges_cents{5000, 10000, 20000, 50000, 100000};
constexpr std::array<double, 6> cheap_lover_factor{2.2, 1.3, 0.8, 0.5, 0.35, 0.25};
constexpr std::array<double, 6> other_user_factor{1.0, 1.0, 1.0, 0.9, 0.8, 0.7};

size_t band_of(int64_t price_cents) {
  size_t band = 0;
  while (band < band_edges_cents.size() && price_cents >= band_edges_cents[band]) ++band;
  return band;
}

// A fixed trait in [0, 1) of entity `index`: the same for the whole stream of a seed.
double trait(uint64_t seed, uint64_t salt, uint32_t index) {
  return static_cast<double>(mix64(seed ^ salt ^ (uint64_t{index} << 20)) >> 11) * 0x1.0p-53;
}

double hour_factor(int64_t now) {
  const int64_t hour = (now / (60 * minute_ms)) % 24;
  if (hour >= 18) return 1.5;  // evening shopping
  if (hour < 6) return 0.6;
  return 1.0;
}

}  // namespace

intent_model::intent_model(const catalog& items, uint32_t users, uint32_t item_count,
                           uint32_t categories, uint64_t seed)
  : items_(items),
    seed_(seed),
    rng_(mix64(seed ^ 0x1e7e47a1ULL)),
    users_(users),
    items_by_category_(categories),
    item_count_(item_count) {
  for (uint32_t i = 0; i < item_count; ++i)
    items_by_category_[items.item(i).category_id - 1].push_back(i);
  category_samplers_.reserve(categories);
  for (const auto& list : items_by_category_)
    category_samplers_.emplace_back(static_cast<uint32_t>(list.size()), category_item_skew);
}

uint32_t intent_model::pick_user(uint32_t drawn, int64_t now) {
  advance(now);
  if (!sessions_.empty() && chance(rng_, session_share)) {
    const int64_t last = static_cast<int64_t>(sessions_.size()) - 1;
    return sessions_[static_cast<size_t>(uniform_int(rng_, 0, last))];
  }
  user_state& u = users_[drawn];
  if (!in_session(u, now) && chance(rng_, session_start)) {
    const auto any_item = static_cast<uint32_t>(uniform_int(rng_, 0, item_count_ - 1));
    u.session_category = items_.item(any_item).category_id;
    u.session_until = now + uniform_int(rng_, 10, 30) * minute_ms;
    sessions_.push_back(drawn);
  }
  return drawn;
}

uint32_t intent_model::pick_item(uint32_t user, uint32_t drawn, int64_t now) {
  const double r = uniform_unit(rng_);
  if (r < trend_share && !trends_.empty()) {
    const int64_t last = static_cast<int64_t>(trends_.size()) - 1;
    return trends_[static_cast<size_t>(uniform_int(rng_, 0, last))].item;
  }
  const user_state& u = users_[user];
  const size_t c = u.session_category - 1;
  if (in_session(u, now) && r < trend_share + interest_share && !items_by_category_[c].empty())
    return items_by_category_[c][category_samplers_[c](rng_)];
  return drawn;
}

void intent_model::observe(uint32_t user, uint32_t item, behavior kind, int64_t now) {
  advance(now);
  user_state& u = users_[user];
  const uint32_t category = items_.item(item).category_id;
  if (kind == behavior::click) {
    u.clicks[u.next_click] = {.ts = now, .category = category};
    u.next_click = (u.next_click + 1) % clicks_kept;
  }
  if (kind == behavior::view && chance(rng_, follow_up_probability(user, item, now)))
    schedule(user, item, now);
}

std::optional<follow_up> intent_model::pop_due(int64_t now) {
  if (pending_.empty() || pending_.top().due_ts > now) return std::nullopt;
  follow_up f = pending_.top();
  pending_.pop();
  return f;
}

double intent_model::follow_up_probability(uint32_t user, uint32_t item, int64_t now) const {
  const item_attributes& a = items_.item(item);
  const double propensity = 0.01 + 0.012 * trait(seed_, 0x9e0b, user);
  const bool cheap_lover = trait(seed_, 0xc4ea9, user) < 0.5;
  const double appeal = 0.6 + trait(seed_, 0xa99ea1, item);
  const size_t band = band_of(a.price_cents);
  const double price = cheap_lover ? cheap_lover_factor[band] : other_user_factor[band];
  const user_state& u = users_[user];
  const bool browsed = in_session(u, now) && a.category_id == u.session_category;
  const uint32_t clicks = std::min(4U, category_clicks(u, a.category_id, now));
  const double interest = (browsed ? session_category_factor : 1.0)
                          * (1.0 + per_category_click_factor * clicks);
  const double trending = is_trending(item) ? trending_factor : 1.0;
  return std::min(max_probability,
                  propensity * appeal * price * interest * trending * hour_factor(now));
}

void intent_model::advance(int64_t now) {
  std::erase_if(sessions_, [&](uint32_t user) { return !in_session(users_[user], now); });
  if (next_trend_ts_ == INT64_MIN) next_trend_ts_ = now;
  for (; now >= next_trend_ts_; next_trend_ts_ += trend_every_ms)
    trends_.push_back({.item = static_cast<uint32_t>(uniform_int(rng_, 0, item_count_ - 1)),
                       .until = next_trend_ts_ + trend_ms});
  std::erase_if(trends_, [now](const trend& t) { return t.until <= now; });
}

bool intent_model::is_trending(uint32_t item) const {
  return std::any_of(trends_.begin(), trends_.end(),
                     [item](const trend& t) { return t.item == item; });
}

uint32_t intent_model::category_clicks(const user_state& u, uint32_t category, int64_t now) const {
  uint32_t n = 0;
  for (const recent_click& c : u.clicks)
    n += c.category == category && c.ts > now - interest_window_ms ? 1 : 0;
  return n;
}

void intent_model::schedule(uint32_t user, uint32_t item, int64_t now) {
  const double u = uniform_unit(rng_);
  const behavior kind =
    u < 0.6 ? behavior::click : (u < 0.85 ? behavior::cart : behavior::purchase);
  // Exponential: most responses come within a few minutes, a few after the label window.
  const auto delay =
    min_delay_ms + static_cast<int64_t>(-mean_delay_ms * std::log1p(-uniform_unit(rng_)));
  pending_.push({.due_ts = now + std::min(delay, max_delay_ms),
                 .order = scheduled_++,
                 .user = user,
                 .item = item,
                 .kind = kind});
}

}  // namespace rtfeat

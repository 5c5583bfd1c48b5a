// event_generator: one mt19937_64 drives every choice, in a fixed order per line,
// so a seed fixes the whole stream. Lines are appended field by field into one
// reused buffer (no JSON library) in SPEC §2's field order. intent_model draws
// from a generator of its own, so the plain stream is the same with it compiled in.
#include "runtime/tools/gen/event_generator.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include "runtime/event.hpp"
#include "runtime/event_parser.hpp"
#include "runtime/tools/gen/random.hpp"

namespace rtfeat {

namespace {

// view 50 %, click 25 %, cart 8 %, fav 4 %, purchase 3 %, search 10 %.
constexpr std::array<double, 6> behavior_cdf{0.50, 0.75, 0.83, 0.87, 0.90, 1.0};
constexpr uint32_t campaign_count = 40;
constexpr double campaign_share = 0.30;
constexpr double roaming_share = 0.05;   // events away from the user's home region
constexpr double no_price_share = 0.05;  // item events without a price (never purchases)
constexpr int64_t max_out_of_order_ms = 4999;
constexpr int64_t late_base_ms = 65000;  // out_of_orderness 5 s + allowed lateness 60 s
constexpr int64_t max_late_extra_ms = int64_t{20} * 60 * 1000;

void append_int(std::string& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// Shortest round-trip form of cents / 100 (59.9, 1200, 0.5).
void append_money(std::string& out, int64_t cents) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, static_cast<double>(cents) / 100.0);
  out.append(buf, r.ptr);
}

behavior behavior_of(double u) {
  size_t b = 0;
  while (b + 1 < behavior_cdf.size() && u >= behavior_cdf[b]) ++b;
  return static_cast<behavior>(b);
}

}  // namespace

std::string validate(const gen_config& cfg) {
  if (cfg.users == 0 || cfg.items == 0 || cfg.categories == 0)
    return "users, items and categories must be at least 1";
  if (!(cfg.rate > 0)) return "rate must be positive";
  for (double f : {cfg.out_of_order, cfg.late, cfg.malformed})
    if (!(f >= 0 && f <= 1)) return "fractions must lie in [0, 1]";
  if (cfg.out_of_order + cfg.late + cfg.malformed > 1)
    return "out-of-order + late + malformed fractions exceed 1";
  if (cfg.start_ts - late_base_ms - max_late_extra_ms < min_event_ts)
    return "start ts too early: late events would fall before 2000-01-01";
  if (!(cfg.zipf_exponent >= 0) || !(cfg.user_zipf_offset >= 0))
    return "zipf exponent and offset must be >= 0";
  return {};
}

event_generator::event_generator(const gen_config& cfg)
  : cfg_(cfg),
    rng_(cfg.seed),
    catalog_(cfg.users, cfg.items, cfg.categories, cfg.seed),
    users_(cfg.users, cfg.zipf_exponent, cfg.user_zipf_offset),
    items_(cfg.items, cfg.zipf_exponent),
    campaigns_(campaign_count, 1.0),
    words_(static_cast<uint32_t>(catalog::query_words().size()), 0.8) {
  if (cfg.intent) intent_.emplace(catalog_, cfg.users, cfg.items, cfg.categories, cfg.seed);
}

const generated_line& event_generator::next() {
  const auto i = static_cast<double>(counts_.events);
  line_.nominal_ts = cfg_.start_ts + static_cast<int64_t>(std::floor(i * 1000.0 / cfg_.rate));
  line_.kind = draw_kind();
  const int64_t ts = event_time(line_.kind, line_.nominal_ts);
  // A due follow-up takes this line's slot, so lines stay in nominal time order.
  auto follow = intent_ ? intent_->pop_due(line_.nominal_ts) : std::nullopt;
  const item_event e =
    follow ? item_event{.user = follow->user, .item = follow->item, .kind = follow->kind}
           : draw_event();
  write_event(ts, e);
  counts_.follow_ups += follow ? 1 : 0;
  if (intent_ && line_.kind != line_kind::malformed && e.kind != behavior::search)
    intent_->observe(e.user, e.item, e.kind, line_.nominal_ts);
  if (line_.kind == line_kind::malformed) {
    line_.malformed = static_cast<malformed_kind>(
      uniform_int(rng_, 0, static_cast<int64_t>(malformed_kind_count) - 1));
    make_malformed(line_.malformed, line_.text, rng_);
    auto key = key_extractor_.user_id(line_.text);
    line_.key.assign(key ? *key : std::string_view{});
  }
  count_line();
  return line_;
}

line_kind event_generator::draw_kind() {
  const double u = uniform_unit(rng_);
  if (u < cfg_.malformed) return line_kind::malformed;
  if (u < cfg_.malformed + cfg_.late) return line_kind::late;
  if (u < cfg_.malformed + cfg_.late + cfg_.out_of_order) return line_kind::out_of_order;
  return line_kind::in_order;
}

int64_t event_generator::event_time(line_kind kind, int64_t nominal) {
  if (kind == line_kind::out_of_order) return nominal - uniform_int(rng_, 1, max_out_of_order_ms);
  if (kind == line_kind::late)
    return nominal - late_base_ms - uniform_int(rng_, 1000, max_late_extra_ms);
  return nominal;
}

// The draws of a plain stream, in their historical order: user, behaviour, item.
event_generator::item_event event_generator::draw_event() {
  item_event e;
  e.user = users_(rng_);
  if (intent_) e.user = intent_->pick_user(e.user, line_.nominal_ts);
  e.kind = behavior_of(uniform_unit(rng_));
  if (e.kind == behavior::search) return e;
  e.item = items_(rng_);
  if (intent_) e.item = intent_->pick_item(e.user, e.item, line_.nominal_ts);
  return e;
}

void event_generator::write_event(int64_t ts, const item_event& e) {
  std::string& out = line_.text;
  const auto [user, item, kind] = e;
  line_.key.assign("u");
  append_int(line_.key, user + 1);
  out.assign(R"({"user_id":")").append(line_.key);
  out.append(R"(","behavior":")").append(to_string(kind)).append("\"");
  if (kind != behavior::search) {
    out.append(R"(,"item_id":"i)");
    append_int(out, item + 1);
    out.append(R"(","category_id":)");
    append_int(out, catalog_.item(item).category_id);
  }
  out.append(R"(,"ts":)");
  append_int(out, ts);
  if (kind != behavior::search) write_item_fields(kind, catalog_.item(item).price_cents);
  write_context(user, kind);
  out += '}';
}

void event_generator::write_item_fields(behavior kind, int64_t price_cents) {
  std::string& out = line_.text;
  if (kind != behavior::purchase && chance(rng_, no_price_share)) return;
  out.append(R"(,"price":)");
  append_money(out, price_cents);
  if (kind != behavior::purchase) return;
  const int64_t quantity = chance(rng_, 0.7) ? 1 : uniform_int(rng_, 2, 5);
  out.append(R"(,"amount":)");
  append_money(out, price_cents * quantity);
}

void event_generator::write_context(uint32_t user, behavior kind) {
  std::string& out = line_.text;
  const auto regions = catalog::regions();
  const std::string_view region =
    chance(rng_, roaming_share)
      ? regions[static_cast<size_t>(uniform_int(rng_, 0, static_cast<int64_t>(regions.size()) - 1))]
      : catalog_.home_region(user);
  out.append(R"(,"region":")").append(region).append("\"");
  if (chance(rng_, campaign_share)) {
    out.append(R"(,"campaign_id":"c)");
    append_int(out, campaigns_(rng_) + 1);
    out += '"';
  }
  if (kind != behavior::search) return;
  out.append(R"(,"query":")");
  const int64_t word_count = uniform_int(rng_, 1, 3);
  for (int64_t w = 0; w < word_count; ++w) {
    if (w > 0) out += ' ';
    out.append(catalog::query_words()[words_(rng_)]);
  }
  out += '"';
}

void event_generator::count_line() {
  ++counts_.events;
  switch (line_.kind) {
    case line_kind::malformed:
      ++counts_.malformed;
      ++counts_.malformed_by_kind[static_cast<size_t>(line_.malformed)];
      return;
    case line_kind::out_of_order: ++counts_.out_of_order; break;
    case line_kind::late: ++counts_.late; break;
    case line_kind::in_order: break;
  }
  ++counts_.valid;
}

}  // namespace rtfeat

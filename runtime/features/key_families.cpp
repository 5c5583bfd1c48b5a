// Key families (see key_families.hpp). A key is split against each template;
// only a key that splits exactly one way, against exactly one family, is
// placed: deleting a key placed wrongly would delete another shard's live key.
#include "runtime/features/key_families.hpp"

#include <algorithm>
#include <span>
#include <utility>

namespace rtfeat {

namespace {

using part = key_template::part;
using values = std::vector<std::pair<std::string_view, std::string_view>>;  // variable, value

constexpr std::string_view bookkeeping_prefix = "__rtfeat__:";

std::optional<redis_type> type_of(const std::string& output_type) {
  if (output_type == "hash") return redis_type::hash;
  if (output_type == "zset") return redis_type::zset;
  if (output_type == "list") return redis_type::list;
  if (output_type == "string") return redis_type::string;
  if (output_type == "hyperloglog") return redis_type::hyperloglog;
  return std::nullopt;
}

/// The ways `key` splits into `parts` (every variable non-empty, a variable named
/// twice with one value), counted up to 2. `path` holds the values of the split
/// being tried; `first` gets the first complete one.
int splits(std::span<const part> parts, std::string_view key, values& path, values& first) {
  if (parts.empty()) {
    if (!key.empty()) return 0;
    if (first.empty()) first = path;
    return 1;
  }
  const auto& p = parts.front();
  auto rest = parts.subspan(1);
  if (!p.is_var)
    return key.starts_with(p.text) ? splits(rest, key.substr(p.text.size()), path, first) : 0;
  int ways = 0;
  auto try_length = [&](size_t len) {
    auto value = key.substr(0, len);
    for (const auto& [name, v] : path)
      if (name == p.text && v != value) return;
    path.emplace_back(p.text, value);
    ways += splits(rest, key.substr(len), path, first);
    path.pop_back();
  };
  if (rest.empty()) {
    if (!key.empty()) try_length(key.size());
  } else if (!rest.front().is_var) {  // the value ends where the next literal starts
    for (auto at = key.find(rest.front().text, 1); at != std::string_view::npos && ways < 2;
         at = key.find(rest.front().text, at + 1))
      try_length(at);
  } else {
    for (size_t len = 1; len < key.size() && ways < 2; ++len) try_length(len);
  }
  return std::min(ways, 2);
}

std::optional<std::string_view> value_of(const values& vs, std::string_view name) {
  for (const auto& [n, v] : vs)
    if (n == name) return v;
  return std::nullopt;
}

/// The routing key of `scope`'s entity from a key's values; nullopt when the
/// template does not carry it.
std::optional<std::string> routing_key(feature_scope scope, const values& vs) {
  auto one = [&](std::string_view name) -> std::optional<std::string> {
    if (auto v = value_of(vs, name)) return std::string(*v);
    return std::nullopt;
  };
  switch (scope) {
    case feature_scope::user:
      return one("user_id");
    case feature_scope::item:
      return one("item_id");
    case feature_scope::category:
      return one("category_id");
    case feature_scope::all:
      return std::string("all");
    case feature_scope::campaign_region: {
      auto campaign = value_of(vs, "campaign_id");
      auto region = value_of(vs, "region");
      if (!campaign || !region) return std::nullopt;
      return std::string(*campaign) + '\x1f' + std::string(*region);  // as scope_key_view builds it
    }
  }
  return std::nullopt;
}

}  // namespace

key_families::key_families(const feature_plan& plan) {
  for (const auto& c : plan.features) {
    if (auto t = type_of(c.def.output.type)) add(c.def.output.key, c.scope, *t);
    if (!c.def.deciles.key.empty()) add(c.def.deciles.key, c.scope, redis_type::hash);
    if (!c.def.tier.key.empty()) add(c.def.tier.key, c.scope, redis_type::hash);
  }
  constexpr std::string_view ts_prefix = "_ts:";
  for (const auto& fr : plan.freshness)
    add(fr.name.substr(ts_prefix.size()), fr.scope, redis_type::hash);
}

void key_families::add(const std::string& text, feature_scope writer, redis_type type) {
  auto it = std::find_if(families_.begin(), families_.end(),
                         [&](const family& f) { return f.text == text; });
  if (it == families_.end()) {
    family f{text, {}, {}, type, true};
    std::string error;
    if (!parse_key_template(text, f.parts, error)) return;  // validated at catalogue load
    families_.push_back(std::move(f));
    it = families_.end() - 1;
  }
  if (std::find(it->writers.begin(), it->writers.end(), writer) == it->writers.end())
    it->writers.push_back(writer);
  it->one_type = it->one_type && it->type == type;
}

bool key_families::is_sweepable(const family& f) const {
  return f.writers.size() == 1 && f.one_type;
}

size_t key_families::sweepable() const {
  return static_cast<size_t>(std::count_if(families_.begin(), families_.end(),
                                           [&](const family& f) { return is_sweepable(f); }));
}

std::optional<owned_key> key_families::owner_of(std::string_view key) const {
  if (key.starts_with(bookkeeping_prefix)) return std::nullopt;
  std::optional<owned_key> found;
  int matches = 0;
  for (const auto& f : families_) {
    values path, vs;
    int ways = splits(f.parts.parts(), key, path, vs);
    if (ways == 0) continue;
    matches += ways;
    if (matches > 1 || !is_sweepable(f)) return std::nullopt;
    auto routing = routing_key(f.writers.front(), vs);
    if (!routing) return std::nullopt;
    found = owned_key{f.writers.front(), std::move(*routing), f.type};
  }
  return found;
}

}  // namespace rtfeat

// Loads the repository's default feature catalogue for tests.
#pragma once

#include <stdexcept>
#include <string>

#include "config/feature_catalogue.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/key_update.hpp"

namespace rtfeat::test {

/// The compiled feature `name` of `plan`.
inline const compiled_feature& feature(const feature_plan& plan, const std::string& name) {
  for (const auto& f : plan.features)
    if (f.def.name == name) return f;
  throw std::runtime_error("no feature " + name);
}

/// Applies flushed updates to a map of key -> field -> value, the way Redis would
/// for hashes; list/string values go to field "" joined by ','.
template <class Map>
void apply_updates(Map& redis, const std::vector<key_update>& out) {
  for (const auto& u : out) {
    if (u.type == redis_type::list || u.type == redis_type::string) {
      std::string joined;
      for (const auto& v : u.values) joined += (joined.empty() ? "" : ",") + v;
      if (u.values.empty()) redis.erase(u.key);
      else redis[u.key][""] = joined;
      continue;
    }
    for (const auto& [k, v] : u.set) redis[u.key][k] = v;
    for (const auto& k : u.del) redis[u.key].erase(k);
    if (redis[u.key].empty()) redis.erase(u.key);
  }
}

/// Flushes `state` and applies its updates to `redis`.
template <class Map, class State>
void flush_into(Map& redis, State& state) {
  std::vector<key_update> out;
  state.flush(out);
  apply_updates(redis, out);
}

inline feature_plan default_plan() {
  feature_catalogue c;
  std::string error;
  if (!load_feature_catalogue(std::string(RTFEAT_SOURCE_DIR) + "/config/features.toml", c, error))
    throw std::runtime_error(error);
  return build_feature_plan(c);
}

/// A click at `ts` (ms) by `user` on `item` of `category`, optionally with a price.
inline event click(std::string user, std::string item, int64_t category, int64_t ts, double price = -1,
                   behavior kind = behavior::click) {
  event e;
  e.user_id = std::move(user);
  e.item_id = std::move(item);
  e.category_id = category;
  e.has_category = true;
  e.ts = ts;
  e.kind = kind;
  if (price >= 0) e.price = price, e.has_price = true;
  return e;
}

}  // namespace rtfeat::test

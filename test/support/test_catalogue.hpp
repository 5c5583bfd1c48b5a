// Loads the repository's default feature catalogue for tests.
#pragma once

#include <stdexcept>
#include <string>

#include "config/feature_catalogue.hpp"
#include "runtime/features/feature_plan.hpp"

namespace rtfeat::test {

inline feature_plan default_plan() {
  feature_catalogue c;
  std::string error;
  if (!load_feature_catalogue(std::string(RTFEAT_SOURCE_DIR) + "/config/features.toml", c, error))
    throw std::runtime_error(error);
  return build_feature_plan(c);
}

/// A click at `ts` (ms) by `user` on `item` of `category`, optionally with a price.
inline event click(std::string user, std::string item, int64_t category, int64_t ts, double price = -1) {
  event e;
  e.user_id = std::move(user);
  e.item_id = std::move(item);
  e.category_id = category;
  e.has_category = true;
  e.ts = ts;
  e.kind = behavior::click;
  if (price >= 0) e.price = price, e.has_price = true;
  return e;
}

}  // namespace rtfeat::test

// The events behind test/data/checkpoint_format2: a checkpoint of a user shard
// owning key groups 0-3, written by the build before the body format carried
// entity counts (commit 9c5d09e, format `rtfeat.shard.2`). A restore test feeds
// the same events to fresh states and compares.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/event.hpp"
#include "runtime/murmur2.hpp"
#include "test/support/test_catalogue.hpp"

namespace rtfeat::test::format2 {

inline constexpr int64_t t0 = 1767225600000;
inline constexpr uint32_t max_parallelism = 128;
inline const std::vector<uint32_t> key_groups{0, 1, 2, 3};
inline constexpr int64_t first_watermark = t0 + 600000, second_watermark = t0 + 690000;

/// The users of key groups 0-3 among u0..u2999: a view and a click each, every
/// third a purchase, from t0 on; `later`: a click 90 s on for every other one.
inline std::vector<event> events(bool later) {
  std::vector<event> out;
  for (int u = 0; u < 3000; ++u) {
    auto user = "u" + std::to_string(u), item = "i" + std::to_string(u % 17);
    if (key_group_of(user, max_parallelism) > 3) continue;
    auto ts = t0 + int64_t{u} * 100;
    if (later) {
      if (u % 2 == 0) out.push_back(click(user, item, u % 5, ts + 90000, 10 + u % 90));
      continue;
    }
    out.push_back(click(user, item, u % 5, ts, 10 + u % 90, behavior::view));
    out.push_back(click(user, item, u % 5, ts + 1, 10 + u % 90));
    if (u % 3 == 0) {
      auto buy = click(user, item, u % 5, ts + 2, 10 + u % 90, behavior::purchase);
      buy.amount = 19.5, buy.has_amount = true;
      out.push_back(buy);
    }
  }
  return out;
}

}  // namespace rtfeat::test::format2

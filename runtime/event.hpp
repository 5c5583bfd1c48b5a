// The parsed form of one behaviour event (SPEC §2). Readers build it from JSON;
// shards and the oracle only ever see this struct, never the raw payload.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rtfeat {

enum class behavior : uint8_t { view, click, cart, fav, purchase, search };

/// Returns the behaviour named `name`, or false when it is not one of SPEC §2's.
bool parse_behavior(std::string_view name, behavior& out);
std::string_view to_string(behavior b);

/// Bit of `b` in the behaviour masks of feature filters.
inline uint32_t behavior_bit(behavior b) { return 1U << static_cast<unsigned>(b); }

struct event {
  std::string user_id;
  std::string item_id;      // empty for search events without an item
  std::string region;       // empty when absent
  std::string campaign_id;  // empty when absent
  int64_t ts = 0;           // event time, epoch milliseconds
  int64_t category_id = 0;
  double price = 0;
  double amount = 0;
  behavior kind = behavior::view;
  bool has_category = false;
  bool has_price = false;
  bool has_amount = false;
};

}  // namespace rtfeat

// The fixed world `rtfeat gen` draws events from: each item's category and
// price, each user's home region, and the region and search-word vocabularies.
// Built once from the seed, so an item never changes category (SPEC §4a).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace rtfeat {

struct item_attributes {
  uint32_t category_id = 0;  // 1..categories, skewed towards small ids
  int64_t price_cents = 0;   // log-uniform over 1.00..3000.00, a multiple of 10 cents
};

class catalog {
public:
  /// REQUIRES: users, items, categories >= 1.
  catalog(uint32_t users, uint32_t items, uint32_t categories, uint64_t seed);

  /// REQUIRES: index < items.
  const item_attributes& item(uint32_t index) const { return items_[index]; }

  /// REQUIRES: index < users.
  std::string_view home_region(uint32_t index) const { return regions()[user_region_[index]]; }

  static std::span<const std::string_view> regions();
  static std::span<const std::string_view> query_words();

private:
  std::vector<item_attributes> items_;
  std::vector<uint8_t> user_region_;
};

}  // namespace rtfeat

// catalog: items and users get their attributes from one seeded mt19937_64 in
// index order; regions are weighted like a real shop's (a few big cities).
#include "runtime/tools/gen/catalog.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>

#include "runtime/tools/gen/random.hpp"
#include "runtime/tools/gen/zipf_sampler.hpp"

namespace rtfeat {

namespace {

constexpr std::array<std::string_view, 8> region_names{"hz", "sh", "bj", "gz",
                                                       "sz", "cd", "wh", "xa"};
constexpr std::array<double, 8> region_cdf{0.20, 0.38, 0.54, 0.66, 0.78, 0.86, 0.93, 1.0};

constexpr std::array<std::string_view, 40> words{
  "red",    "shoes",    "phone",   "case",   "dress",   "laptop", "bag",    "kids",
  "gift",   "wireless", "earbuds", "coffee", "organic", "tea",    "summer", "winter",
  "jacket", "running",  "yoga",    "mat",    "lamp",    "desk",   "chair",  "usb",
  "cable",  "charger",  "watch",   "smart",  "book",    "toy",    "lego",   "camera",
  "lens",   "skin",     "cream",   "rice",   "cooker",  "sofa",   "pillow", "sale"};

constexpr double min_price = 1.0;
constexpr double max_price = 3000.0;

}  // namespace

catalog::catalog(uint32_t users, uint32_t items, uint32_t categories, uint64_t seed)
  : items_(items), user_region_(users) {
  std::mt19937_64 rng(mix64(seed ^ 0xca7a1060ULL));
  const zipf_sampler category_sampler(categories, 0.9);
  const double log_span = std::log(max_price / min_price);
  for (auto& item : items_) {
    item.category_id = category_sampler(rng) + 1;
    // Log-uniform: each price band of SPEC feature 5 (0,50,100,200,500,1000,inf) gets items.
    const double price = min_price * std::exp(uniform_unit(rng) * log_span);
    item.price_cents = std::max<int64_t>(100, std::llround(price * 10.0) * 10);
  }
  for (auto& region : user_region_) {
    const double u = uniform_unit(rng);
    size_t r = 0;
    while (r + 1 < region_cdf.size() && u >= region_cdf[r]) ++r;
    region = static_cast<uint8_t>(r);
  }
}

std::span<const std::string_view> catalog::regions() { return region_names; }

std::span<const std::string_view> catalog::query_words() { return words; }

}  // namespace rtfeat

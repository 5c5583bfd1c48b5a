// The oracle's percentile_rank evaluator (SPEC §4a "Feature 4"): count each
// (category, item) pair's events in the window, rank the pair among the pairs of
// its category with a count > 0, and write the category's nearest-rank decile
// edges. An item seen in several categories is ranked in each of them; when its
// key has no category its own fields are undefined (docs/semantics.md).
#include <algorithm>
#include <map>

#include "oracle/decimal_text.hpp"
#include "oracle/feature_values.hpp"

namespace rtfeat::oracle {

namespace {

// 100 * (less + 0.5 * equal) / n as one division of exact integers (so it is
// the correctly rounded quotient), printed with %.4f.
std::string percent_rank(int64_t less, int64_t equal, int64_t n) {
  return ratio_text(100 * less + 50 * equal, n);
}

std::optional<std::string> item_var(std::string_view name, const std::string& item,
                                    int64_t category) {
  if (name == "item_id") return item;
  if (name == "category_id") return std::to_string(category);
  return std::nullopt;
}

void put_item(const feature_def& f, const std::string& key, int64_t count,
              const std::vector<int64_t>& sorted, expected_state& out) {
  auto lo = std::lower_bound(sorted.begin(), sorted.end(), count);
  auto hi = std::upper_bound(sorted.begin(), sorted.end(), count);
  auto n = static_cast<int64_t>(sorted.size());
  put_field(out, key, f.count_field, std::to_string(count), f.output.ttl_s);
  put_field(out, key, f.rank_field, percent_rank(lo - sorted.begin(), hi - lo, n), f.output.ttl_s);
}

// p{k} = the ceil(k * n / 100)-th smallest count (1-based), k = 10, 20, ..., 90.
void put_deciles(const feature_def& f, int64_t category, const std::vector<int64_t>& sorted,
                 expected_state& out) {
  auto key_t = compile_template(f.deciles.key);
  auto field_t = compile_template(f.deciles.field);
  auto n = static_cast<int64_t>(sorted.size());
  std::string key;
  std::string field;
  if (!render(
        key_t, [&](const std::string& v) { return item_var(v, "", category); }, key))
    return;
  for (int64_t k = 10; k <= 90; k += 10) {
    int64_t rank = (k * n + 99) / 100;
    auto kvar = [k](const std::string& v) -> std::optional<std::string> {
      if (v == "k") return std::to_string(k);
      return std::nullopt;
    };
    if (!render(field_t, kvar, field)) continue;
    put_field(out, key, field, std::to_string(sorted[static_cast<size_t>(rank - 1)]),
              f.deciles.ttl_s);
  }
}

}  // namespace

void eval_percentile_rank(const feature_events& s, expected_state& out) {
  std::map<category_item, int64_t> pairs;
  for (const auto& ev : s.events())
    if (s.counts(ev)) ++pairs[{ev.category_id, ev.item_id}];  // kept implies an item and a category
  write_percentile_rank(s.def(), pairs, out);
}

void write_percentile_rank(const feature_def& f, const std::map<category_item, int64_t>& pairs,
                           expected_state& out, const std::string* only_item) {
  // Every pair here has a count > 0, so each category's list is its n items.
  std::map<int64_t, std::vector<int64_t>> counts_by_category;
  for (const auto& [pair, count] : pairs) counts_by_category[pair.first].push_back(count);
  for (auto& [category, counts] : counts_by_category) std::sort(counts.begin(), counts.end());
  // Rendered item key -> its pairs: more than one when the key template has no
  // ${category_id} and the item is in several categories.
  auto key_t = compile_template(f.output.key);
  std::map<std::string, std::vector<std::pair<const category_item*, int64_t>>> by_key;
  std::string key;
  for (const auto& entry : pairs) {  // not a structured binding: lambdas capture it (clang 14)
    const category_item& pair = entry.first;
    if (only_item != nullptr && pair.second != *only_item) continue;
    if (render(key_t, [&](const std::string& v) { return item_var(v, pair.second, pair.first); }, key))
      by_key[key].emplace_back(&pair, entry.second);
  }
  for (const auto& [k, members] : by_key) {
    if (members.size() == 1)
      put_item(f, k, members[0].second, counts_by_category[members[0].first->first], out);
    else
      out.undefined_fields[k].insert({f.count_field, f.rank_field});
  }
  if (only_item != nullptr) return;
  for (const auto& [category, counts] : counts_by_category) put_deciles(f, category, counts, out);
}

}  // namespace rtfeat::oracle

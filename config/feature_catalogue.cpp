// features.toml -> feature_catalogue, with validation precise enough that a bad
// catalogue never starts a node: every message names the file, line and key.
#include "config/feature_catalogue.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "config/duration.hpp"
#include "config/key_template.hpp"

namespace rtfeat {

namespace {

constexpr std::array<std::string_view, 11> aggregation_names{
  "count", "sum", "avg", "min", "max", "histogram", "percentile_rank",
  "last_k", "distinct", "funnel", "intervals"};
constexpr std::array<std::string_view, 4> entity_names{
  "user", "item", "category", "campaign_region"};
constexpr std::array<std::string_view, 6> behavior_names{
  "view", "click", "cart", "fav", "purchase", "search"};

template <class Enum, size_t N>
bool lookup(const std::array<std::string_view, N>& names, std::string_view s, Enum& out) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == s) return out = static_cast<Enum>(i), true;
  return false;
}

// Thrown inside this file only, caught in load_feature_catalogue.
struct catalogue_error {
  int line;
  std::string message;
};

[[noreturn]] void fail(const toml::node& n, std::string msg) {
  throw catalogue_error{static_cast<int>(n.source().begin.line), std::move(msg)};
}

std::string get_string(const toml::table& t, std::string_view key, bool required,
                       const toml::node& owner) {
  const auto* n = t.get(key);
  if (n == nullptr) {
    if (required) fail(owner, "missing key '" + std::string(key) + "'");
    return {};
  }
  auto s = n->value<std::string>();
  if (!s || !n->is_string()) fail(*n, "'" + std::string(key) + "' must be a string");
  return *s;
}

int64_t get_duration(const toml::table& t, std::string_view key, bool required,
                     const toml::node& owner) {
  auto text = get_string(t, key, required, owner);
  if (text.empty()) return 0;
  auto ms = parse_duration_ms(text);
  if (!ms) fail(*t.get(key), "'" + std::string(key) + "': bad duration '" + text + "' (use 500ms, 5s, 30m, 24h)");
  return *ms;
}

void check_keys(const toml::table& t, std::initializer_list<std::string_view> allowed,
                std::string_view what) {
  for (auto&& [k, v] : t) {
    bool ok = false;
    for (auto a : allowed) ok = ok || a == k.str();
    if (!ok) fail(v, "unknown key '" + std::string(k.str()) + "' in " + std::string(what));
  }
}

std::string edge_label(const toml::node& n, double& value) {
  if (n.is_integer()) {
    value = static_cast<double>(*n.value<int64_t>());
    return std::to_string(*n.value<int64_t>());
  }
  if (!n.is_floating_point()) fail(n, "histogram edges must be numbers (inf allowed last)");
  value = *n.value<double>();
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::array<char, 32> buf{};
  auto res = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  return std::string(buf.data(), res.ptr);
}

std::vector<band_def> parse_bands(const toml::node& n) {
  const auto* arr = n.as_array();
  if (arr == nullptr || arr->size() < 2) fail(n, "'edges' must be an array of at least 2 numbers");
  std::vector<std::pair<double, std::string>> edges;
  for (const auto& e : *arr) {
    double v = 0;
    auto label = edge_label(e, v);
    if (!edges.empty() && !(v > edges.back().first)) fail(e, "'edges' must be strictly increasing");
    edges.emplace_back(v, label);
  }
  std::vector<band_def> bands;
  for (size_t i = 0; i + 1 < edges.size(); ++i)
    bands.push_back({edges[i].first, edges[i + 1].first, edges[i].second + "-" + edges[i + 1].second});
  return bands;
}

window_def parse_window(const toml::node& n) {
  const auto* t = n.as_table();
  if (t == nullptr) fail(n, "'window' must be a table");
  check_keys(*t, {"type", "size", "slide", "lateness"}, "window");
  window_def w;
  auto type = get_string(*t, "type", true, n);
  if (type != "sliding") fail(n, "window type '" + type + "' is not supported by this build (sliding only)");
  w.size_ms = get_duration(*t, "size", true, n);
  w.slide_ms = get_duration(*t, "slide", true, n);
  w.lateness_ms = get_duration(*t, "lateness", false, n);
  if (w.size_ms <= 0 || w.slide_ms <= 0) fail(n, "window size and slide must be > 0");
  if (w.size_ms % w.slide_ms != 0) fail(n, "window slide must divide window size");
  if (w.lateness_ms > w.size_ms) fail(n, "window lateness must not exceed window size");
  return w;
}

output_def parse_output(const toml::node& n, std::string_view what, bool needs_field) {
  const auto* t = n.as_table();
  if (t == nullptr) fail(n, "'" + std::string(what) + "' must be a table");
  check_keys(*t, {"type", "key", "field", "ttl"}, what);
  output_def o;
  o.type = get_string(*t, "type", false, n);
  if (o.type.empty()) o.type = "hash";
  if (o.type != "hash") fail(n, "output type '" + o.type + "' is not supported by this build (hash only)");
  o.key = get_string(*t, "key", true, n);
  o.field = get_string(*t, "field", needs_field, n);
  o.ttl_s = get_duration(*t, "ttl", false, n) / 1000;
  return o;
}

// Template variables a feature may use, by entity and aggregation.
std::set<std::string> allowed_vars(const feature_def& f) {
  std::set<std::string> vars;
  switch (f.entity) {
    case entity_kind::user: vars = {"user_id"}; break;
    case entity_kind::item: vars = {"item_id", "category_id"}; break;
    case entity_kind::category: vars = {"category_id"}; break;
    case entity_kind::campaign_region: vars = {"campaign_id", "region"}; break;
  }
  if (!f.group_by.empty()) vars.insert(f.group_by);
  if (f.aggregation == aggregation_kind::histogram) vars.insert("band");
  return vars;
}

void check_template(const toml::node& n, const std::string& tmpl, const std::set<std::string>& vars,
                    std::string_view what) {
  key_template t;
  std::string err;
  if (!parse_key_template(tmpl, t, err)) fail(n, std::string(what) + ": " + err);
  for (const auto& v : t.variables())
    if (!vars.contains(v)) fail(n, std::string(what) + " '" + tmpl + "' names ${" + v + "}, which this feature does not have");
}

void check_supported(const toml::node& n, const feature_def& f) {
  using a = aggregation_kind;
  bool ok = (f.aggregation == a::count && f.entity == entity_kind::user && f.group_by == "category_id")
            || (f.aggregation == a::histogram && f.entity == entity_kind::user)
            || (f.aggregation == a::percentile_rank && f.entity == entity_kind::item
                && f.rank_within == "category_id");
  if (!ok)
    fail(n, "aggregation '" + std::string(to_string(f.aggregation)) + "' on entity '"
              + std::string(to_string(f.entity))
              + "' is not supported by this build (supported: count by user grouped by category_id, "
                "histogram by user, percentile_rank of item within category_id)");
}

void parse_filter(const toml::node& n, feature_def& f) {
  const auto* t = n.as_table();
  if (t == nullptr) fail(n, "'filter' must be a table");
  check_keys(*t, {"behavior"}, "filter");
  const auto* arr = t->get_as<toml::array>("behavior");
  if (arr == nullptr) fail(n, "filter.behavior must be an array of behaviours");
  for (const auto& b : *arr) {
    uint8_t v = 0;
    auto s = b.value<std::string>();
    if (!s || !lookup(behavior_names, *s, v)) fail(b, "unknown behavior '" + s.value_or("?") + "'");
    f.behaviors.push_back(v);
  }
}

feature_def parse_feature(const toml::node& n) {
  const auto* t = n.as_table();
  if (t == nullptr) fail(n, "[[feature]] must be a table");
  check_keys(*t, {"name", "entity", "filter", "aggregation", "group_by", "value", "edges",
                  "rank_within", "fields", "window", "output", "deciles", "description"},
             "feature");
  feature_def f;
  f.line = static_cast<int>(n.source().begin.line);
  f.name = get_string(*t, "name", true, n);
  auto entity = get_string(*t, "entity", true, n);
  if (!lookup(entity_names, entity, f.entity)) fail(*t->get("entity"), "unknown entity '" + entity + "'");
  auto agg = get_string(*t, "aggregation", true, n);
  if (!lookup(aggregation_names, agg, f.aggregation)) fail(*t->get("aggregation"), "unknown aggregation '" + agg + "'");
  if (const auto* flt = t->get("filter")) parse_filter(*flt, f);
  f.group_by = get_string(*t, "group_by", false, n);
  f.value = get_string(*t, "value", false, n);
  f.rank_within = get_string(*t, "rank_within", false, n);
  if (!f.group_by.empty() && f.group_by != "category_id")
    fail(*t->get("group_by"), "unknown field '" + f.group_by + "' for group_by (category_id)");
  if (f.aggregation == aggregation_kind::histogram) {
    if (f.value != "price" && f.value != "amount") fail(n, "histogram needs value = \"price\" or \"amount\"");
    const auto* edges = t->get("edges");
    if (edges == nullptr) fail(n, "histogram needs 'edges'");
    f.bands = parse_bands(*edges);
  }
  if (const auto* fields = t->get_as<toml::table>("fields")) {
    check_keys(*fields, {"count", "rank"}, "fields");
    f.count_field = get_string(*fields, "count", false, n);
    f.rank_field = get_string(*fields, "rank", false, n);
  }
  check_supported(n, f);
  const auto* w = t->get("window");
  if (w == nullptr) fail(n, "missing key 'window'");
  f.window = parse_window(*w);
  const auto* o = t->get("output");
  if (o == nullptr) fail(n, "missing key 'output'");
  bool per_field = f.aggregation != aggregation_kind::percentile_rank;
  f.output = parse_output(*o, "output", per_field);
  auto vars = allowed_vars(f);
  check_template(*o, f.output.key, vars, "output.key");
  if (per_field) check_template(*o, f.output.field, vars, "output.field");
  if (f.aggregation == aggregation_kind::percentile_rank) {
    const auto* d = t->get("deciles");
    if (d == nullptr) fail(n, "percentile_rank needs 'deciles' (key and field of the group's decile edges)");
    f.deciles = parse_output(*d, "deciles", true);
    check_template(*d, f.deciles.key, {f.rank_within}, "deciles.key");
    check_template(*d, f.deciles.field, {"k"}, "deciles.field");
  }
  return f;
}

void parse_catalogue(const toml::table& tbl, feature_catalogue& out) {
  for (auto&& [k, v] : tbl)
    if (k.str() != "feature" && k.str() != "version")
      fail(v, "unknown top-level key '" + std::string(k.str()) + "' (expected [[feature]])");
  const auto* arr = tbl.get_as<toml::array>("feature");
  if (arr == nullptr || arr->empty()) throw catalogue_error{1, "no [[feature]] defined"};
  std::set<std::string> names;
  for (const auto& n : *arr) {
    auto f = parse_feature(n);
    if (!names.insert(f.name).second)
      fail(*n.as_table()->get("name"), "duplicate feature name '" + f.name + "'");
    out.features.push_back(std::move(f));
  }
}

}  // namespace

std::string_view to_string(aggregation_kind a) { return aggregation_names.at(static_cast<size_t>(a)); }
std::string_view to_string(entity_kind e) { return entity_names.at(static_cast<size_t>(e)); }

bool load_feature_catalogue(const std::string& path, feature_catalogue& out, std::string& error) {
  auto name = std::filesystem::path(path).filename().string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return error = path + ": cannot open feature catalogue", false;
  std::stringstream text;
  text << in.rdbuf();
  auto bytes = text.str();
  out = feature_catalogue{};
  out.path = path;
  out.hash = 1469598103934665603ULL;
  for (unsigned char c : bytes) out.hash = (out.hash ^ c) * 1099511628211ULL;
  try {
    auto tbl = toml::parse(bytes, path);
    parse_catalogue(tbl, out);
  } catch (const toml::parse_error& e) {
    error = name + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description());
    return false;
  } catch (const catalogue_error& e) {
    error = name + ":" + std::to_string(e.line) + ": " + e.message;
    return false;
  }
  return true;
}

}  // namespace rtfeat

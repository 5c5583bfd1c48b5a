// features.toml -> feature_catalogue, with validation precise enough that a bad
// catalogue never starts a node: every message names the file, line and key.
#include "config/feature_catalogue.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "config/catalogue_parse.hpp"
#include "config/freshness.hpp"
#include "config/key_template.hpp"

namespace rtfeat {

namespace {

using namespace catalogue_parse;

constexpr std::array<std::string_view, 11> aggregation_names{
  "count", "sum", "avg", "min", "max", "histogram", "percentile_rank",
  "last_k", "distinct", "funnel", "intervals"};
constexpr std::array<std::string_view, 4> entity_names{
  "user", "item", "category", "campaign_region"};

template <class Enum, size_t N>
bool lookup(const std::array<std::string_view, N>& names, std::string_view s, Enum& out) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == s) return out = static_cast<Enum>(i), true;
  return false;
}

std::set<std::string> entity_vars(const feature_def& f) {
  switch (f.entity) {
    case entity_kind::user: return {"user_id"};
    case entity_kind::item: return {"item_id", "category_id"};
    case entity_kind::category: return {"category_id"};
    case entity_kind::campaign_region: return {"campaign_id", "region"};
  }
  return {};
}

void check_template(const toml::node& n, const std::string& tmpl, const std::set<std::string>& vars,
                    std::string_view what) {
  key_template t;
  std::string err;
  if (!parse_key_template(tmpl, t, err)) fail(n, std::string(what) + ": " + err);
  for (const auto& v : t.variables())
    if (!vars.contains(v))
      fail(n, std::string(what).append(" '").append(tmpl).append("' names ${").append(v).append(
                "}, which this feature does not have"));
}

// Which (aggregation, entity, output) combinations this build computes.
void check_supported(const toml::node& n, const feature_def& f) {
  using a = aggregation_kind;
  const auto& out = f.output.type;
  auto need = [&](bool ok, const std::string& what) {
    if (!ok) fail(n, "aggregation '" + std::string(to_string(f.aggregation)) + "': " + what);
  };
  switch (f.aggregation) {
    case a::count: case a::sum: case a::avg: case a::min: case a::max: case a::histogram:
      need(out == "hash" || (out == "string" && f.group_by.empty()), "output type must be hash (or string without group_by)");
      need(f.window.kind == window_kind::sliding || f.window.kind == window_kind::tumbling, "needs a sliding or tumbling window");
      break;
    case a::percentile_rank:
      need(f.entity == entity_kind::item && f.rank_within == "category_id", "ranks an item within category_id");
      need(f.window.kind != window_kind::unbounded && f.window.kind != window_kind::first_after_seen, "needs a sliding or tumbling window");
      break;
    case a::last_k:
      need(f.entity == entity_kind::user && f.k > 0, "needs entity user and k > 0");
      need((out == "list" && f.value == "category_id") || (out == "zset" && !f.output.member.empty()),
           "writes a list of category_id or a zset with a member template");
      break;
    case a::distinct:
      need(out == "hyperloglog" && f.value == "user_id", "counts distinct user_id into a hyperloglog");
      need(f.entity != entity_kind::user, "entity must not be user (a user has one user_id)");
      break;
    case a::funnel:
      need(f.entity == entity_kind::user && f.steps.size() >= 2 && out == "hash", "needs entity user, 2+ steps, a hash output");
      need(f.window.kind == window_kind::first_after_seen, "needs a first_after_seen window");
      break;
    case a::intervals:
      need(f.entity == entity_kind::user && f.k > 0 && out == "hash", "needs entity user, k > 0, a hash output");
      break;
  }
  if (!f.tier_within.empty())
    need(f.aggregation == a::sum && f.entity == entity_kind::user && f.tier_within == "all", "tier needs a sum on user within \"all\"");
  if (f.trend_previous_ms > 0)
    need((f.aggregation == a::sum || f.aggregation == a::count) && f.group_by.empty()
           && f.window.kind == window_kind::sliding && f.trend_previous_ms % f.window.size_ms == 0,
         "trend needs a count or sum without group_by on a sliding window whose size divides 'previous'");
}

void check_value(const toml::node& n, const feature_def& f) {
  using a = aggregation_kind;
  bool numeric = f.value == "price" || f.value == "amount";
  switch (f.aggregation) {
    case a::sum:
      if (!numeric && f.weights.empty()) fail(n, "sum needs value = \"price\"|\"amount\" or weights");
      break;
    case a::avg: case a::min: case a::max: case a::histogram:
      if (!numeric) fail(n, std::string(to_string(f.aggregation)) + " needs value = \"price\" or \"amount\"");
      break;
    default: break;
  }
  if (!f.value.empty() && !numeric && f.value != "category_id" && f.value != "user_id")
    fail(n, "unknown field '" + f.value + "' for value (price, amount, category_id, user_id)");
}

void parse_specifics(const toml::table& t, const toml::node& n, feature_def& f) {
  f.group_by = get_string(t, "group_by", false, n);
  f.value = get_string(t, "value", false, n);
  f.rank_within = get_string(t, "rank_within", false, n);
  if (!f.group_by.empty() && f.group_by != "category_id" && f.group_by != "region")
    fail(*t.get("group_by"), "unknown field '" + f.group_by + "' for group_by (category_id, region)");
  if (const auto* k = t.get("k")) {
    if (!k->is_integer() || *k->value<int64_t>() <= 0) fail(*k, "'k' must be a positive integer");
    f.k = *k->value<int64_t>();
  }
  if (const auto* steps = t.get("steps")) f.steps = parse_behaviors(*steps, "steps");
  if (const auto* w = t.get("weights")) f.weights = parse_weights(*w);
  if (const auto* edges = t.get("edges")) f.bands = parse_bands(*edges);
  if (f.aggregation == aggregation_kind::histogram && f.bands.empty()) fail(n, "histogram needs 'edges'");
  if (const auto* fields = t.get_as<toml::table>("fields")) {
    check_keys(*fields, {"count", "rank"}, "fields");
    f.count_field = get_string(*fields, "count", false, n);
    f.rank_field = get_string(*fields, "rank", false, n);
  }
  if (const auto* trend = t.get_as<toml::table>("trend")) {
    check_keys(*trend, {"previous", "field"}, "trend");
    f.trend_previous_ms = get_duration(*trend, "previous", true, n);
    f.trend_field = get_string(*trend, "field", true, n);
  }
  check_value(n, f);
}

void check_outputs(const toml::table& t, const toml::node& n, feature_def& f) {
  auto vars = entity_vars(f);
  if (!f.group_by.empty()) vars.insert(f.group_by);
  const auto* o = t.get("output");
  check_template(*o, f.output.key, vars, "output.key");
  auto field_vars = vars;
  if (f.aggregation == aggregation_kind::histogram) field_vars.insert("band");
  if (f.aggregation == aggregation_kind::intervals) field_vars.insert("n");
  bool needs_field = f.output.type == "hash" && f.aggregation != aggregation_kind::percentile_rank;
  if (needs_field && f.output.field.empty()) fail(*o, "output.field is required for a hash output");
  if (needs_field) check_template(*o, f.output.field, field_vars, "output.field");
  if (f.output.type == "zset") check_template(*o, f.output.member, {"behavior", "item_id", "category_id"}, "output.member");
  if (f.aggregation == aggregation_kind::percentile_rank) {
    const auto* d = t.get("deciles");
    if (d == nullptr) fail(n, "percentile_rank needs 'deciles' (key and field of the group's decile edges)");
    f.deciles = parse_output(*d, "deciles");
    check_template(*d, f.deciles.key, {f.rank_within}, "deciles.key");
    check_template(*d, f.deciles.field, {"k"}, "deciles.field");
  }
  if (const auto* tier = t.get("tier")) {
    f.tier = parse_output(*tier, "tier");
    f.tier_within = get_string(*tier->as_table(), "within", true, *tier);
    check_template(*tier, f.tier.key, vars, "tier.key");
    if (f.tier.field.empty()) fail(*tier, "tier.field is required");
  }
}

// docs/semantics.md "Freshness": `_ts` belongs to the engine. No feature is named
// like its checkpointed states or writes a field of that name, and no
// campaign_region hash key names only half of the pair its state is sharded by
// (several shards would then write the same key's `_ts`).
void check_freshness_rules(const toml::table& t, const toml::node& n, const feature_def& f) {
  if (f.name.starts_with('_'))
    fail(*t.get("name"), "feature name '" + f.name
                           + "' starts with '_', which is reserved for the engine's own state (the _ts freshness of hashes)");
  const std::pair<const char*, const std::string*> fields[] = {
    {"output", f.output.type == "hash" ? &f.output.field : nullptr}, {"trend", &f.trend_field},
    {"fields", &f.count_field}, {"fields", &f.rank_field}, {"tier", &f.tier.field}, {"deciles", &f.deciles.field}};
  for (const auto& [key, field] : fields) {
    if (field == nullptr || *field != freshness_field) continue;
    const auto* at = t.get(key);
    fail(at != nullptr ? *at : n, "field '_ts' is reserved for the hash's freshness (docs/semantics.md)");
  }
  if (f.entity != entity_kind::campaign_region || f.output.type != "hash") return;
  key_template k;
  std::string err;
  parse_key_template(f.output.key, k, err);  // checked by check_outputs
  auto vars = k.variables();
  bool campaign = std::find(vars.begin(), vars.end(), "campaign_id") != vars.end();
  bool region = std::find(vars.begin(), vars.end(), "region") != vars.end();
  if (campaign != region)
    fail(*t.get("output"), "output.key '" + f.output.key
                             + "' names only one of ${campaign_id} and ${region}: several shards would write its _ts"
                               " (docs/semantics.md, Freshness)");
}

feature_def parse_feature(const toml::node& n) {
  const auto* t = n.as_table();
  if (t == nullptr) fail(n, "[[feature]] must be a table");
  check_keys(*t, {"name", "entity", "filter", "aggregation", "group_by", "value", "edges", "rank_within",
                  "fields", "window", "output", "deciles", "description", "k", "steps", "weights",
                  "tier", "trend", "emit"},
             "feature");
  feature_def f;
  f.line = static_cast<int>(n.source().begin.line);
  f.name = get_string(*t, "name", true, n);
  auto entity = get_string(*t, "entity", true, n);
  if (!lookup(entity_names, entity, f.entity)) fail(*t->get("entity"), "unknown entity '" + entity + "'");
  auto agg = get_string(*t, "aggregation", true, n);
  if (!lookup(aggregation_names, agg, f.aggregation))
    fail(*t->get("aggregation"), "unknown aggregation '" + agg + "'");
  if (const auto* flt = t->get_as<toml::table>("filter")) {
    check_keys(*flt, {"behavior"}, "filter");
    if (const auto* b = flt->get("behavior")) f.behaviors = parse_behaviors(*b, "filter.behavior");
  }
  parse_specifics(*t, n, f);
  f.emit_interval_ms = get_duration(*t, "emit", false, n);
  const auto* w = t->get("window");
  if (w == nullptr) fail(n, "missing key 'window'");
  f.window = parse_window(*w);
  const auto* o = t->get("output");
  if (o == nullptr) fail(n, "missing key 'output'");
  f.output = parse_output(*o, "output");
  check_outputs(*t, n, f);
  check_supported(n, f);
  check_freshness_rules(*t, n, f);
  return f;
}

void parse_catalogue(const toml::table& tbl, feature_catalogue& out) {
  for (auto&& [k, v] : tbl)
    if (k.str() != "feature" && k.str() != "version")
      fail(v, "unknown top-level key '" + std::string(k.str()) + "' (expected [[feature]])");
  const auto* arr = tbl.get_as<toml::array>("feature");
  if (arr == nullptr || arr->empty()) throw catalogue_parse::error{1, "no [[feature]] defined"};
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
  // An ifstream opens a directory and reads nothing: say what is wrong instead of "no [[feature]]".
  if (std::error_code ec; std::filesystem::is_directory(path, ec))
    return error = path + ": is a directory, not a feature catalogue (a TOML file with [[feature]] tables)", false;
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
  } catch (const catalogue_parse::error& e) {
    error = name + ":" + std::to_string(e.line) + ": " + e.message;
    return false;
  }
  return true;
}

}  // namespace rtfeat

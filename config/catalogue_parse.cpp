// The pieces of a [[feature]]: window, output, bands, behaviours, weights.
#include "config/catalogue_parse.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include "config/duration.hpp"

namespace rtfeat::catalogue_parse {

namespace {

constexpr std::array<std::string_view, 6> behavior_names{
  "view", "click", "cart", "fav", "purchase", "search"};

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

}  // namespace

void fail(const toml::node& n, std::string msg) {
  throw error{static_cast<int>(n.source().begin.line), std::move(msg)};
}

std::string get_string(const toml::table& t, std::string_view key, bool required, const toml::node& owner) {
  const auto* n = t.get(key);
  if (n == nullptr) {
    if (required) fail(owner, "missing key '" + std::string(key) + "'");
    return {};
  }
  auto s = n->value<std::string>();
  if (!s || !n->is_string()) fail(*n, "'" + std::string(key) + "' must be a string");
  return *s;
}

int64_t get_duration(const toml::table& t, std::string_view key, bool required, const toml::node& owner) {
  auto text = get_string(t, key, required, owner);
  if (text.empty()) return 0;
  auto ms = parse_duration_ms(text);
  if (!ms)
    fail(*t.get(key), "'" + std::string(key) + "': bad duration '" + text + "' (use 500ms, 5s, 30m, 24h, 7d; at most 36500d)");
  return *ms;
}

void check_keys(const toml::table& t, std::initializer_list<std::string_view> allowed, std::string_view what) {
  for (auto&& [k, v] : t) {
    bool ok = false;
    for (auto a : allowed) ok = ok || a == k.str();
    if (!ok) fail(v, "unknown key '" + std::string(k.str()) + "' in " + std::string(what));
  }
}

uint8_t behavior_value(const toml::node& n) {
  auto s = n.value<std::string>();
  for (size_t i = 0; s && i < behavior_names.size(); ++i)
    if (behavior_names[i] == *s) return static_cast<uint8_t>(i);
  fail(n, "unknown behavior '" + s.value_or("?") + "'");
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
  check_keys(*t, {"type", "size", "slide", "lateness", "retention"}, "window");
  window_def w;
  auto type = get_string(*t, "type", true, n);
  w.lateness_ms = get_duration(*t, "lateness", false, n);
  if (type == "unbounded") {
    w.kind = window_kind::unbounded;
    w.retention_ms = get_duration(*t, "retention", false, n);
    return w;
  }
  w.size_ms = get_duration(*t, "size", true, n);
  if (type == "sliding") {
    w.slide_ms = get_duration(*t, "slide", true, n);
  } else if (type == "tumbling") {
    w.kind = window_kind::tumbling;
    w.slide_ms = w.size_ms;
  } else if (type == "first_after_seen") {
    w.kind = window_kind::first_after_seen;
    w.slide_ms = w.size_ms;
  } else {
    fail(n, "unknown window type '" + type + "' (sliding, tumbling, first_after_seen, unbounded)");
  }
  if (w.size_ms <= 0 || w.slide_ms <= 0) fail(n, "window size and slide must be > 0");
  if (w.size_ms % w.slide_ms != 0) fail(n, "window slide must divide window size");
  if (w.lateness_ms > w.size_ms) fail(n, "window lateness must not exceed window size");
  return w;
}

output_def parse_output(const toml::node& n, std::string_view what) {
  const auto* t = n.as_table();
  if (t == nullptr) fail(n, "'" + std::string(what) + "' must be a table");
  check_keys(*t, {"type", "key", "field", "member", "ttl", "within"}, what);
  output_def o;
  o.type = get_string(*t, "type", false, n);
  if (o.type.empty()) o.type = "hash";
  if (o.type != "hash" && o.type != "list" && o.type != "zset" && o.type != "string" && o.type != "hyperloglog")
    fail(n, "unknown output type '" + o.type + "' (hash, list, zset, string, hyperloglog)");
  o.key = get_string(*t, "key", true, n);
  o.field = get_string(*t, "field", false, n);
  o.member = get_string(*t, "member", false, n);
  o.ttl_s = get_duration(*t, "ttl", false, n) / 1000;
  return o;
}

std::vector<uint8_t> parse_behaviors(const toml::node& n, std::string_view what) {
  const auto* arr = n.as_array();
  if (arr == nullptr || arr->empty()) fail(n, std::string(what) + " must be a non-empty array of behaviours");
  std::vector<uint8_t> out;
  for (const auto& b : *arr) out.push_back(behavior_value(b));
  return out;
}

std::vector<int64_t> parse_weights(const toml::node& n) {
  const auto* t = n.as_table();
  if (t == nullptr) fail(n, "'weights' must be a table of behaviour = integer");
  std::vector<int64_t> w(behavior_names.size(), 0);
  for (auto&& [k, v] : *t) {
    auto b = std::string(k.str());
    size_t i = 0;
    while (i < behavior_names.size() && behavior_names[i] != b) ++i;
    if (i == behavior_names.size()) fail(v, "unknown behavior '" + b + "' in weights");
    if (!v.is_integer()) fail(v, "weights must be integers");
    w[i] = *v.value<int64_t>();
    // Bounded so that weighted sums of amounts stay exact (docs/features.md "Ranges").
    if (w[i] < -max_abs_weight || w[i] > max_abs_weight)
      fail(v, "weight of '" + b + "' must be within -" + std::to_string(max_abs_weight) + ".."
                + std::to_string(max_abs_weight) + ", got " + std::to_string(w[i]));
  }
  return w;
}

}  // namespace rtfeat::catalogue_parse

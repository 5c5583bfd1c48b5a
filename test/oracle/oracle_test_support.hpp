// Helpers for the oracle tests: a temporary directory, JSON lines for events,
// and one call that runs the oracle on a list of lines with config overrides.
// Expected values in the tests are always written by hand, never computed here.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "config/feature_catalogue.hpp"
#include "config/job_config.hpp"
#include "oracle/expected_state.hpp"

namespace rtfeat::oracle::test {

/// A slide edge of the default 30 min / 5 min windows: B % 300000 == 0.
inline constexpr int64_t B = 1'700'000'100'000;
/// The parser's "now" in every test (2027), so ts near B are never in the future.
inline constexpr int64_t test_now_ms = 1'800'000'000'000;

/// A fresh directory under the system temp dir, removed with its content.
class temp_dir {
public:
  temp_dir() {
    auto base = std::filesystem::temp_directory_path() / "rtfeat-oracle-test-XXXXXX";
    std::string tmpl = base.string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }

  /// Writes `content` verbatim to `name` and returns its path.
  std::string write(const std::string& name, const std::string& content) const {
    std::ofstream out(file(name), std::ios::binary);
    out << content;
    return file(name);
  }

private:
  std::filesystem::path path_;
};

/// One event as a JSON line; price < 0 means "no price field".
inline std::string ev(const std::string& user, const std::string& behavior, const std::string& item,
                      int64_t category, int64_t ts, double price = -1) {
  std::string s = "{\"user_id\":\"" + user + "\",\"behavior\":\"" + behavior + "\",\"item_id\":\""
                  + item + "\",\"category_id\":" + std::to_string(category)
                  + ",\"ts\":" + std::to_string(ts);
  if (price >= 0) s += ",\"price\":" + std::to_string(price);
  return s + "}";
}

inline std::string click(const std::string& user, const std::string& item, int64_t category,
                         int64_t ts, double price = -1) {
  return ev(user, "click", item, category, ts, price);
}

/// Joins lines with '\n', each one terminated.
inline std::string jsonl(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

/// Runs the oracle over `content` with the default job config plus `overrides`
/// and the catalogue `features` (default: config/features.toml).
inline expected_state run_oracle(const std::string& content, std::vector<std::string> overrides,
                                 std::string features = RTFEAT_SOURCE_DIR "/config/features.toml") {
  temp_dir dir;
  auto events = dir.write("events.jsonl", content);
  job_config cfg;
  feature_catalogue cat;
  std::string error;
  overrides.push_back("features.file=" + features);
  REQUIRE_MESSAGE(load_job_config("", overrides, cfg, error), error);
  REQUIRE_MESSAGE(load_feature_catalogue(cfg.features_file, cat, error), error);
  expected_state out;
  REQUIRE_MESSAGE(compute_expected_state(cfg, cat, events, test_now_ms, {}, out, error), error);
  return out;
}

/// Runs the oracle like run_oracle but expects it to fail; returns its error.
inline std::string oracle_error(const std::string& content, std::vector<std::string> overrides,
                                const std::string& features) {
  temp_dir dir;
  auto events = dir.write("events.jsonl", content);
  job_config cfg;
  feature_catalogue cat;
  std::string error;
  overrides.push_back("features.file=" + features);
  REQUIRE_MESSAGE(load_job_config("", overrides, cfg, error), error);
  REQUIRE_MESSAGE(load_feature_catalogue(cfg.features_file, cat, error), error);
  expected_state out;
  CHECK_FALSE(compute_expected_state(cfg, cat, events, test_now_ms, {}, out, error));
  return error;
}

/// The hash at `key` with every field, `_ts` included; empty when there is no such hash.
inline field_map whole_hash(const expected_state& s, const std::string& key) {
  auto k = s.keys.find(key);
  const auto* h = k == s.keys.end() ? nullptr : std::get_if<field_map>(&k->second);
  return h == nullptr ? field_map{} : *h;
}

/// The feature fields of the hash at `key`: without `_ts`, which freshness_test.cpp checks.
inline field_map hash(const expected_state& s, const std::string& key) {
  auto h = whole_hash(s, key);
  h.erase("_ts");
  return h;
}

/// The value of hash key/field, or "<none>" when absent.
inline std::string value(const expected_state& s, const std::string& key,
                         const std::string& field) {
  auto h = hash(s, key);
  auto f = h.find(field);
  return f == h.end() ? "<none>" : f->second;
}

/// The list at `key`, head first (empty when there is no such list).
inline std::vector<std::string> list(const expected_state& s, const std::string& key) {
  auto k = s.keys.find(key);
  const auto* l = k == s.keys.end() ? nullptr : std::get_if<list_value>(&k->second);
  return l == nullptr ? std::vector<std::string>{} : l->items;
}

/// The sorted set at `key` as member -> score (empty when there is none).
inline std::map<std::string, int64_t> zset(const expected_state& s, const std::string& key) {
  auto k = s.keys.find(key);
  const auto* z = k == s.keys.end() ? nullptr : std::get_if<zset_value>(&k->second);
  return z == nullptr ? std::map<std::string, int64_t>{} : z->scores;
}

/// The string at `key`, or "<none>".
inline std::string string_at(const expected_state& s, const std::string& key) {
  auto k = s.keys.find(key);
  const auto* v = k == s.keys.end() ? nullptr : std::get_if<string_value>(&k->second);
  return v == nullptr ? "<none>" : v->text;
}

/// The HyperLogLog member set at `key` (empty when there is none).
inline std::set<std::string> hll(const expected_state& s, const std::string& key) {
  auto k = s.keys.find(key);
  const auto* h = k == s.keys.end() ? nullptr : std::get_if<hll_value>(&k->second);
  return h == nullptr ? std::set<std::string>{} : h->members;
}

/// An event with every field given as raw JSON members, e.g.
/// full("u1", "purchase", T, R"("item_id":"i1","category_id":7,"amount":5)").
inline std::string full(const std::string& user, const std::string& behavior, int64_t ts,
                        const std::string& more = "") {
  return "{\"user_id\":\"" + user + "\",\"behavior\":\"" + behavior
         + "\",\"ts\":" + std::to_string(ts) + (more.empty() ? "" : "," + more) + "}";
}

}  // namespace rtfeat::oracle::test

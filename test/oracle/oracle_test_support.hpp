// Helpers for the oracle tests: a temporary directory, JSON lines for events,
// and one call that runs the oracle on a list of lines with config overrides.
// Expected values in the tests are always written by hand, never computed here.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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

/// The value of key/field, or "<none>" when absent.
inline std::string value(const expected_state& s, const std::string& key,
                         const std::string& field) {
  auto k = s.keys.find(key);
  if (k == s.keys.end()) return "<none>";
  auto f = k->second.find(field);
  return f == k->second.end() ? "<none>" : f->second;
}

}  // namespace rtfeat::oracle::test

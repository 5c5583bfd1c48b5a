// What the serving bench's load programs share (bench/http_load.cpp, bench/redis_pipeline.cpp):
// ids read from a file and drawn Zipf-distributed by their line's rank, `{id}` templates, and
// the latency report (nearest-rank percentiles) printed as one JSON object.
// Header-only: every bench/*.cpp is a program of its own.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/tools/gen/zipf_sampler.hpp"

namespace rtfeat::bench {

/// The non-empty lines of `path`; empty with `error` set when it cannot be read or has none.
inline std::vector<std::string> read_ids(const std::string& path, std::string& error) {
  std::vector<std::string> ids;
  std::ifstream in(path);
  if (!in) {
    error = path + ": cannot open";
    return ids;
  }
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) ids.push_back(std::move(line));
  }
  if (ids.empty()) error = path + ": no ids";
  return ids;
}

/// Draws ids: line k of the file is Zipf rank k (P ~ 1 / (k + 1)^s; s = 0 is uniform).
class id_picker {
public:
  /// REQUIRES: ids is not empty.
  id_picker(std::vector<std::string> ids, double exponent)
    : ids_(std::move(ids)), zipf_(static_cast<uint32_t>(ids_.size()), exponent) {}

  const std::string& operator()(std::mt19937_64& rng) const { return ids_[zipf_(rng)]; }

  /// `k` distinct ids drawn uniformly (all of them when k >= size()), comma-separated and quoted
  /// for a JSON array. Runs a partial Fisher-Yates shuffle over a kept index.
  std::string distinct_json(size_t k, std::mt19937_64& rng) {
    if (order_.size() != ids_.size())
      for (uint32_t i = static_cast<uint32_t>(order_.size()); i < ids_.size(); ++i) order_.push_back(i);
    k = std::min(k, ids_.size());
    std::string out;
    for (size_t i = 0; i < k; ++i) {
      std::uniform_int_distribution<size_t> pick(i, order_.size() - 1);
      std::swap(order_[i], order_[pick(rng)]);
      if (i > 0) out += ',';
      out.append("\"").append(ids_[order_[i]]).append("\"");
    }
    return out;
  }

  size_t size() const { return ids_.size(); }

private:
  std::vector<std::string> ids_;
  zipf_sampler zipf_;
  std::vector<uint32_t> order_;
};

/// `tmpl` with every `placeholder` replaced by `value`.
inline std::string expand(std::string_view tmpl, std::string_view placeholder, std::string_view value) {
  std::string out;
  size_t from = 0;
  for (size_t at; (at = tmpl.find(placeholder, from)) != std::string_view::npos; from = at + placeholder.size())
    out.append(tmpl.substr(from, at - from)).append(value);
  return out.append(tmpl.substr(from));
}

/// Nearest-rank percentile `p` (0 < p <= 100) of sorted `v`; 0 when empty.
inline double percentile(const std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  auto rank = static_cast<size_t>(std::ceil(p / 100 * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

/// Latencies (ms) of the answered requests and the counts of the rest, as the load programs report them.
struct latency_report {
  std::vector<double> latencies_ms;
  uint64_t requests = 0;  // counted requests: answered, failed or never answered
  uint64_t errors = 0;    // no answer: connection error, timeout, still waiting at the end
  uint64_t non_2xx = 0;   // answered with a status outside 200..299 (HTTP only)

  /// Prints `{requests, errors, non_2xx, achieved_rps, p50_ms ... max_ms` and `extra` (",key":value
  /// pairs) `}`. achieved_rps = answered requests / `seconds`.
  void print(double seconds, const std::string& extra) {
    std::sort(latencies_ms.begin(), latencies_ms.end());
    std::printf(
      "{\"requests\":%llu,\"errors\":%llu,\"non_2xx\":%llu,\"achieved_rps\":%.1f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,"
      "\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f%s}\n",
      static_cast<unsigned long long>(requests), static_cast<unsigned long long>(errors),
      static_cast<unsigned long long>(non_2xx), seconds > 0 ? static_cast<double>(latencies_ms.size()) / seconds : 0.0,
      percentile(latencies_ms, 50), percentile(latencies_ms, 90), percentile(latencies_ms, 99),
      percentile(latencies_ms, 99.9), latencies_ms.empty() ? 0.0 : latencies_ms.back(), extra.c_str());
  }
};

}  // namespace rtfeat::bench

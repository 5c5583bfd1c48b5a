// Writing Prometheus' text exposition format (version 0.0.4): metric
// families with HELP and TYPE, samples, and histograms from atomic_histogram.
// Shared by the node's /metrics and `rtfeat serve`'s.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/metrics/atomic_histogram.hpp"

namespace rtfeat {

class exposition {
public:
  /// Starts a metric family: its HELP and TYPE lines.
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
  }
  /// One sample; `labels` is empty or `key="value",...` (values already escaped).
  void sample(std::string_view name, std::string_view labels, double v) {
    out_.append(name);
    if (!labels.empty()) out_.append("{").append(labels).append("}");
    out_.append(" ").append(number(v)).append("\n");
  }
  void counter(std::string_view name, std::string_view help, uint64_t v) {
    family(name, "counter", help);
    sample(name, "", static_cast<double>(v));
  }
  void gauge(std::string_view name, std::string_view help, double v) {
    family(name, "gauge", help);
    sample(name, "", v);
  }
  template <size_t N>
  void histogram(std::string_view name, std::string_view help, const atomic_histogram<N>& h, double unit) {
    family(name, "histogram", help);
    histogram_samples(name, "", h, unit);
  }
  /// The samples of one histogram of a family; `labels` as in sample(), added before `le`.
  template <size_t N>
  void histogram_samples(std::string_view name, std::string_view labels, const atomic_histogram<N>& h,
                         double unit) {
    std::string bucket = std::string(name) + "_bucket";
    std::string prefix = labels.empty() ? std::string() : std::string(labels) + ",";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < N; ++i) {
      cumulative += h.in_bucket(i);
      sample(bucket, prefix + "le=\"" + number(static_cast<double>(h.bounds()[i]) / unit) + "\"",
             static_cast<double>(cumulative));
    }
    cumulative += h.in_bucket(N);
    sample(bucket, prefix + "le=\"+Inf\"", static_cast<double>(cumulative));
    sample(std::string(name) + "_sum", labels, static_cast<double>(h.sum()) / unit);
    sample(std::string(name) + "_count", labels, static_cast<double>(cumulative));
  }
  std::string take() { return std::move(out_); }

private:
  static std::string number(double v) {
    char buf[64];
    // Shortest round-trip digits, never exponents: "0.0001", not "1e-04".
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    return ec == std::errc{} ? std::string(buf, end) : "NaN";
  }
  std::string out_;
};

}  // namespace rtfeat

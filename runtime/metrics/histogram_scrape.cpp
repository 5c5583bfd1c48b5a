// Prometheus text -> histograms, differences, quantiles (see histogram_scrape.hpp).
#include "runtime/metrics/histogram_scrape.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace rtfeat {

namespace {

/// One sample line: `name{k="v",...} value`; false when it is not one.
struct sample_line {
  std::string_view name;
  std::map<std::string, std::string, std::less<>> labels;
  double value = 0;
};

bool parse_labels(std::string_view s, std::map<std::string, std::string, std::less<>>& out) {
  while (!s.empty()) {
    auto eq = s.find("=\"");
    if (eq == std::string_view::npos) return false;
    std::string key(s.substr(0, eq)), value;
    size_t i = eq + 2;
    for (; i < s.size() && s[i] != '"'; ++i) {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;  // \" \\ \n: the escaped character is kept
      value += s[i];
    }
    if (i >= s.size()) return false;
    out[std::move(key)] = std::move(value);
    s.remove_prefix(i + 1);
    if (!s.empty() && s.front() == ',') s.remove_prefix(1);
  }
  return true;
}

bool parse_line(std::string_view line, sample_line& out) {
  if (line.empty() || line.front() == '#') return false;
  auto space = line.rfind(' ');
  if (space == std::string_view::npos) return false;
  auto head = line.substr(0, space), number = line.substr(space + 1);
  if (number == "+Inf" || number == "NaN") return false;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), out.value);
  if (ec != std::errc{} || end != number.data() + number.size()) return false;
  auto brace = head.find('{');
  if (brace == std::string_view::npos) {
    out.name = head;
    return true;
  }
  if (head.back() != '}') return false;
  out.name = head.substr(0, brace);
  return parse_labels(head.substr(brace + 1, head.size() - brace - 2), out.labels);
}

std::string label_of(const sample_line& s, std::string_view label) {
  if (label.empty()) return "";
  auto it = s.labels.find(label);
  return it == s.labels.end() ? std::string() : it->second;
}

}  // namespace

std::map<std::string, scraped_histogram> parse_histograms(std::string_view text, std::string_view name,
                                                          std::string_view label) {
  std::map<std::string, scraped_histogram> out;
  std::string bucket = std::string(name) + "_bucket", sum = std::string(name) + "_sum",
              count = std::string(name) + "_count";
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    sample_line s;
    if (!parse_line(line, s)) continue;
    if (s.name == bucket) {
      auto le = s.labels.find("le");
      if (le == s.labels.end() || le->second == "+Inf") continue;
      double bound = 0;
      auto [end, ec] = std::from_chars(le->second.data(), le->second.data() + le->second.size(), bound);
      if (ec == std::errc{}) out[label_of(s, label)].buckets.emplace_back(bound, s.value);
    } else if (s.name == sum) {
      out[label_of(s, label)].sum = s.value;
    } else if (s.name == count) {
      out[label_of(s, label)].count = s.value;
    }
  }
  return out;
}

scraped_histogram histogram_difference(const scraped_histogram& end, const scraped_histogram& start) {
  if (end.count < start.count || end.buckets.size() != start.buckets.size()) return end;
  scraped_histogram d;
  d.count = end.count - start.count;
  d.sum = end.sum - start.sum;
  for (size_t i = 0; i < end.buckets.size(); ++i)
    d.buckets.emplace_back(end.buckets[i].first, end.buckets[i].second - start.buckets[i].second);
  return d;
}

double histogram_quantile(const scraped_histogram& h, double q) {
  if (h.count <= 0) return std::numeric_limits<double>::quiet_NaN();
  double rank = q * h.count, below = 0, lower = 0;
  for (const auto& [bound, cumulative] : h.buckets) {
    if (cumulative >= rank && cumulative > below)
      return lower + (bound - lower) * (rank - below) / (cumulative - below);
    below = cumulative;
    lower = bound;
  }
  return h.buckets.empty() ? std::numeric_limits<double>::quiet_NaN() : h.buckets.back().first;
}

}  // namespace rtfeat

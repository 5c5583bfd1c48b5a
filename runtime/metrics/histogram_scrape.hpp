// Reading histograms back from Prometheus' text format, for the benches: two
// scrapes of a node's /metrics, their difference (what one window added) and
// quantiles interpolated inside buckets as Prometheus' histogram_quantile() does.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtfeat {

struct scraped_histogram {
  std::vector<std::pair<double, double>> buckets;  // finite `le` (increasing), cumulative count
  double count = 0;                                // all observations (+Inf bucket)
  double sum = 0;
};

/// The histograms of family `name` in `text`, by the value of their label `label`
/// (label "" for a family without labels: one entry with key ""). Lines that do not
/// parse are skipped.
std::map<std::string, scraped_histogram> parse_histograms(std::string_view text, std::string_view name,
                                                          std::string_view label);

/// What `end` added over `start`, bucket by bucket. REQUIRES: the same bounds (one
/// process, one run); when `end` has fewer observations (a restart) it is `end`.
scraped_histogram histogram_difference(const scraped_histogram& end, const scraped_histogram& start);

/// The q-quantile (0..1): linear inside the bucket holding rank q * count, the first
/// bucket starting at 0; a rank in +Inf gives the last finite bound. NaN when empty.
double histogram_quantile(const scraped_histogram& h, double q);

}  // namespace rtfeat

// The latency bench's stage table: the node's rtfeat_stage_latency_seconds histograms
// scraped from its /metrics when the measured window starts and once every probe
// is in, their difference by stage, and the producer's own send -> ack time over
// the same window. Quantiles are interpolated inside buckets (0.1 ms .. 10 s).
#pragma once

#include <httplib.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <thread>

#include "runtime/metrics/histogram_scrape.hpp"
#include "runtime/metrics/stage_latency.hpp"

namespace rtfeat::bench {

class stage_scraper {
public:
  /// `port` 0: no node metrics (the table has the producer's row only).
  explicit stage_scraper(int port) : port_(port) {}
  ~stage_scraper() {
    if (first_.joinable()) first_.join();
  }
  stage_scraper(const stage_scraper&) = delete;
  stage_scraper& operator=(const stage_scraper&) = delete;

  /// Runs in: the producer thread (delivery reports); counted inside the window only.
  void delivered(int64_t latency_us) {
    if (measuring_.load(std::memory_order_relaxed) && latency_us >= 0)
      producer_.observe(static_cast<uint64_t>(latency_us));
  }
  /// The measured window starts: scrapes on a thread of its own so the sender keeps its pace.
  void start_window() {
    measuring_ = true;
    if (port_ > 0) first_ = std::thread([this] { start_ = scrape(); });
  }
  /// Every probe is in (or the settle time is up).
  void end_window() {
    measuring_ = false;
    if (first_.joinable()) first_.join();
    if (port_ > 0) end_ = scrape();
  }

  /// `,"stage_<name>_p50_ms":..,"_p99_ms","_mean_ms","_count"` per stage and producer_ack_*;
  /// null where nothing was observed or the scrapes failed.
  std::string json_fields() const {
    std::string out;
    for (auto name : stage_names) {
      scraped_histogram d;
      auto s = start_.find(std::string(name));
      auto e = end_.find(std::string(name));
      if (s != start_.end() && e != end_.end()) d = histogram_difference(e->second, s->second);
      out += fields("stage_" + std::string(name), d);
    }
    return out + fields("producer_ack", producer_histogram());
  }

private:
  using histograms = std::map<std::string, scraped_histogram>;

  histograms scrape() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(2);
    client.set_read_timeout(5);
    auto res = client.Get("/metrics");
    if (!res || res->status != 200) {
      std::fprintf(stderr, "latency_probe: cannot scrape 127.0.0.1:%d/metrics: no stage table\n", port_);
      return {};
    }
    return parse_histograms(res->body, "rtfeat_stage_latency_seconds", "stage");
  }

  scraped_histogram producer_histogram() const {
    scraped_histogram h;
    double cumulative = 0;
    for (size_t i = 0; i < stage_bounds_us.size(); ++i) {
      cumulative += static_cast<double>(producer_.in_bucket(i));
      h.buckets.emplace_back(static_cast<double>(stage_bounds_us[i]) / 1e6, cumulative);
    }
    h.count = cumulative + static_cast<double>(producer_.in_bucket(stage_bounds_us.size()));
    h.sum = static_cast<double>(producer_.sum()) / 1e6;
    return h;
  }

  static std::string ms(double seconds) {
    if (std::isnan(seconds)) return "null";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", seconds * 1000);
    return buf;
  }
  static std::string fields(const std::string& prefix, const scraped_histogram& h) {
    double mean = h.count > 0 ? h.sum / h.count : std::nan("");
    char count[32];
    std::snprintf(count, sizeof count, "%.0f", h.count);
    return ",\"" + prefix + "_p50_ms\":" + ms(histogram_quantile(h, 0.5)) + ",\"" + prefix
           + "_p99_ms\":" + ms(histogram_quantile(h, 0.99)) + ",\"" + prefix + "_mean_ms\":" + ms(mean)
           + ",\"" + prefix + "_count\":" + count;
  }

  int port_;
  std::atomic<bool> measuring_{false};
  stage_histogram producer_{stage_bounds_us};
  std::thread first_;
  histograms start_, end_;
};

}  // namespace rtfeat::bench

// Latency bench (issue 6, SPEC §8: p99 <= 50 ms at half of max throughput): how long
// from an event's creation until its effect is visible in Redis, at a fixed rate.
// Paces generated events into Kafka with ts = the wall clock at send time; every
// k-th event is a probe, a `view` of a fresh user `probe<n>`, whose list key
// user:seq:{probe<n>} a keyspace-notification subscriber sees appear in Redis.
// With --metrics-port, the node's stage histograms over the measured window say where
// the time went (latency_stages.hpp). Prints one JSON object on stdout; exits 1 when the
// rate was not kept or a probe is missing.
#include <hiredis.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "bench/latency_stages.hpp"
#include "runtime/kafka/producer.hpp"
#include "runtime/tools/gen/event_generator.hpp"

namespace {

struct options {
  std::string bootstrap, topic = "events", redis_host = "127.0.0.1";
  int redis_port = 6379;
  double rate = 50000, seconds = 60, warmup_s = 5, settle_s = 10, ready_timeout_s = 30;
  uint64_t probe_every = 0;     // 0: rate / 200, within [1, 1000]
  double min_rate_share = 0.95;  // of --rate, else the run fails
  double max_lag_ms = 1000;      // how far the sender may fall behind its schedule
  uint64_t seed = 1;
  int metrics_port = 0;  // the node's /metrics on 127.0.0.1, 0 = no stage table
};

int64_t now_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

/// Probe n: its event ts and the wall-clock µs at which the reader first saw its
/// key written (0 until then). Only visible_us is shared with the reader thread.
struct probe_ledger {
  explicit probe_ledger(size_t capacity) : ts_ms(capacity, 0), visible_us(capacity) {}
  size_t add(int64_t ts) {
    ts_ms[sent] = ts;
    return sent++;
  }
  bool full() const { return sent == ts_ms.size(); }
  bool visible(size_t n) const { return visible_us[n].load(std::memory_order_acquire) != 0; }
  size_t missing(size_t from) const {
    size_t n = 0;
    for (size_t i = from; i < sent; ++i) n += visible(i) ? 0 : 1;
    return n;
  }

  std::vector<int64_t> ts_ms;
  std::vector<std::atomic<int64_t>> visible_us;
  size_t sent = 0;
};

constexpr std::string_view probe_pattern = "__keyspace@*__:user:seq:{probe*";
constexpr std::string_view stop_channel = "__keyspace@0__:user:seq:{probestop}";

bool command_ok(redisContext* c, const char* cmd, std::string& error) {
  auto* r = static_cast<redisReply*>(redisCommand(c, cmd));
  const bool ok = r != nullptr && r->type != REDIS_REPLY_ERROR;
  error = r == nullptr ? std::string(c->errstr) : ok ? "" : std::string(r->str, r->len);
  if (r != nullptr) freeReplyObject(r);
  if (!ok) error = std::string(cmd) + ": " + error;
  return ok;
}

redisContext* connect_redis(const options& o, std::string& error) {
  redisContext* c = redisConnectWithTimeout(o.redis_host.c_str(), o.redis_port, timeval{2, 0});
  if (c != nullptr && c->err == 0) return c;
  error = "redis " + o.redis_host + ":" + std::to_string(o.redis_port) + ": "
          + (c != nullptr ? c->errstr : "out of memory");
  if (c != nullptr) redisFree(c);
  return nullptr;
}

/// Records the first write of each probe key. Runs in: its own thread, until the
/// stop message (or a connection error).
void read_probes(redisContext* sub, probe_ledger* ledger, std::atomic<uint64_t>* notifications) {
  void* raw = nullptr;
  while (redisGetReply(sub, &raw) == REDIS_OK) {
    const int64_t t = now_us();
    auto* r = static_cast<redisReply*>(raw);
    std::string_view channel;
    if (r->type == REDIS_REPLY_ARRAY && r->elements == 4 && r->element[2]->type == REDIS_REPLY_STRING)
      channel = std::string_view(r->element[2]->str, r->element[2]->len);
    const bool stop = channel == stop_channel;
    const auto at = channel.rfind("{probe");
    uint64_t n = 0;
    if (!stop && at != std::string_view::npos) {
      const char* first = channel.data() + at + 6;
      if (std::from_chars(first, channel.data() + channel.size(), n).ec == std::errc{}
          && n < ledger->visible_us.size() && ledger->visible_us[n].load(std::memory_order_relaxed) == 0)
        ledger->visible_us[n].store(t, std::memory_order_release);
      notifications->fetch_add(1, std::memory_order_relaxed);
    }
    freeReplyObject(r);
    if (stop) return;
  }
}

/// The subscriber: keyspace events of list commands on, PSUBSCRIBE confirmed, thread running.
class probe_reader {
public:
  bool start(const options& o, probe_ledger& ledger, std::string& error) {
    redisContext* admin = connect_redis(o, error);
    if (admin == nullptr) return false;
    const bool ok = command_ok(admin, "CONFIG SET notify-keyspace-events Kl", error);
    redisFree(admin);
    if (!ok || (sub_ = connect_redis(o, error)) == nullptr) return false;
    const std::string cmd = "PSUBSCRIBE " + std::string(probe_pattern);
    if (!command_ok(sub_, cmd.c_str(), error)) return false;
    redisSetTimeout(sub_, timeval{0, 0});  // block until a notification arrives
    thread_ = std::thread(read_probes, sub_, &ledger, &notifications_);
    opts_ = &o;
    return true;
  }
  /// Publishes the stop message (as a probe-like notification) and joins.
  void stop() {
    if (!thread_.joinable()) return;
    std::string error;
    if (redisContext* c = connect_redis(*opts_, error)) {
      const std::string cmd = "PUBLISH " + std::string(stop_channel) + " stop";
      command_ok(c, cmd.c_str(), error);
      redisFree(c);
    }
    thread_.join();
  }
  ~probe_reader() {
    stop();
    if (sub_ != nullptr) redisFree(sub_);
  }
  uint64_t notifications() const { return notifications_.load(); }

private:
  const options* opts_ = nullptr;
  redisContext* sub_ = nullptr;
  std::thread thread_;
  std::atomic<uint64_t> notifications_{0};
};

std::string probe_event(size_t n, int64_t ts) {
  return R"({"user_id":"probe)" + std::to_string(n)
         + R"(","behavior":"view","item_id":"i1","category_id":1,"ts":)" + std::to_string(ts)
         + R"(,"region":"probe"})";
}

/// Moves the generated line's ts by `shift` ms (ts = its nominal time + shift keeps
/// out-of-order and late events as far behind "now" as the generator meant them).
void restamp(std::string& text, int64_t shift) {
  const auto at = text.find(R"("ts":)");
  if (at == std::string::npos) return;
  const size_t first = at + 5;
  int64_t ts = 0;
  auto r = std::from_chars(text.data() + first, text.data() + text.size(), ts);
  if (r.ec != std::errc{}) return;
  const size_t len = static_cast<size_t>(r.ptr - (text.data() + first));
  text.replace(first, len, std::to_string(ts + shift));
}

struct paced_run {
  uint64_t events = 0, probes = 0;
  size_t first_probe = 0;       // ledger index of the run's first probe
  int64_t measured_from_ms = 0;  // probes with an earlier ts are the warm-up
  double seconds = 0, max_lag_ms = 0;
  bool send_failed = false;
};

/// Sends probe n with ts = now; false when the producer refused it.
bool send_probe(rtfeat::kafka_producer& p, const options& o, probe_ledger& ledger) {
  const int64_t ts = now_us() / 1000;
  const size_t n = ledger.add(ts);
  return p.send(o.topic, "probe" + std::to_string(n), probe_event(n, ts)) && p.failed() == 0;
}

/// Until one probe is visible: the node is up, reading and writing to Redis.
bool wait_until_ready(rtfeat::kafka_producer& p, const options& o, probe_ledger& ledger) {
  const auto start = std::chrono::steady_clock::now();
  const size_t first = ledger.sent;
  while (seconds_since(start) < o.ready_timeout_s && !ledger.full()) {
    if (!send_probe(p, o, ledger)) return false;
    p.flush(100);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    for (size_t n = first; n < ledger.sent; ++n)
      if (ledger.visible(n)) return true;
  }
  return false;
}

/// Sends rate * seconds events on schedule (event i is due at i / rate s), every
/// `every`-th a probe. Runs in: the main thread; delivery reports are served here.
paced_run run_paced(rtfeat::kafka_producer& p, const options& o, probe_ledger& ledger,
                    uint64_t every, rtfeat::bench::stage_scraper& stages) {
  rtfeat::gen_config cfg;
  cfg.seed = o.seed;
  cfg.rate = o.rate;
  cfg.start_ts = now_us() / 1000;
  rtfeat::event_generator gen(cfg);
  paced_run run;
  run.first_probe = ledger.sent;
  const auto total = static_cast<uint64_t>(o.rate * o.seconds);
  run.measured_from_ms = cfg.start_ts + static_cast<int64_t>(o.warmup_s * 1000);
  const auto start = std::chrono::steady_clock::now();
  std::string text;
  bool window_started = false;
  while (run.events < total && !run.send_failed) {
    const double elapsed = seconds_since(start);
    if (!window_started && elapsed >= o.warmup_s) {
      window_started = true;
      stages.start_window();
    }
    const auto due = std::min(total, static_cast<uint64_t>(elapsed * o.rate) + 1);
    run.max_lag_ms = std::max(run.max_lag_ms, (elapsed - static_cast<double>(run.events) / o.rate) * 1000);
    for (; run.events < due && !run.send_failed; ++run.events) {
      if (run.events % every == 0 && !ledger.full()) {
        run.send_failed = !send_probe(p, o, ledger);
        ++run.probes;
        continue;
      }
      const rtfeat::generated_line& line = gen.next();
      text.assign(line.text);
      if (line.kind != rtfeat::line_kind::malformed) restamp(text, now_us() / 1000 - line.nominal_ts);
      run.send_failed = !p.send(o.topic, line.key, text) || p.failed() != 0;
    }
    p.poll(0);
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  run.seconds = seconds_since(start);
  return run;
}

/// Flushes the producer, then waits until every probe is visible or `settle_s` passed.
void settle(rtfeat::kafka_producer& p, const options& o, const probe_ledger& ledger) {
  const auto start = std::chrono::steady_clock::now();
  while (!p.flush(100) && seconds_since(start) < o.settle_s) {
  }
  while (ledger.missing(0) > 0 && seconds_since(start) < o.settle_s)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

/// Nearest-rank percentile of sorted `v`. REQUIRES: !v.empty().
double percentile(const std::vector<double>& v, double q) {
  const auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

/// Latencies (ms) of the probes after the warm-up, sorted; missing ones are left out.
std::vector<double> measured_latencies(const probe_ledger& ledger, const paced_run& run) {
  std::vector<double> ms;
  for (size_t n = run.first_probe; n < ledger.sent; ++n)
    if (ledger.ts_ms[n] >= run.measured_from_ms && ledger.visible(n))
      ms.push_back(static_cast<double>(ledger.visible_us[n].load()) / 1000.0
                   - static_cast<double>(ledger.ts_ms[n]));
  std::sort(ms.begin(), ms.end());
  return ms;
}

/// What went wrong with the run ("; "-separated), empty when nothing did.
std::string judge(const options& o, const paced_run& run, double rate, size_t missing,
                  size_t measured) {
  std::string out;
  char buf[256];
  auto add = [&out](const char* what) { out.append(out.empty() ? "" : "; ").append(what); };
  if (run.send_failed) add("the producer refused or failed a message");
  if (rate < o.min_rate_share * o.rate || run.max_lag_ms > o.max_lag_ms) {
    std::snprintf(buf, sizeof buf,
                  "the producer could not keep the rate: %.0f of %.0f events/s, up to %.0f ms "
                  "behind schedule",
                  rate, o.rate, run.max_lag_ms);
    add(buf);
  }
  if (missing > 0) {
    std::snprintf(buf, sizeof buf, "%zu probe(s) never became visible in Redis", missing);
    add(buf);
  }
  if (measured == 0) add("no probe after the warm-up");
  return out;
}

void print_result(const options& o, const paced_run& run, const std::vector<double>& ms,
                  size_t missing, uint64_t every, uint64_t notifications, const std::string& error,
                  const std::string& stage_fields) {
  const double rate = run.seconds > 0 ? static_cast<double>(run.events) / run.seconds : 0;
  auto pct = [&](double q) { return ms.empty() ? 0.0 : percentile(ms, q); };
  std::printf(
    "{\"ok\":%s,\"error\":\"%s\",\"target_rate\":%.0f,\"rate_events_per_s\":%.1f,"
    "\"events\":%llu,\"seconds\":%.3f,\"warmup_s\":%.1f,\"probe_every\":%llu,"
    "\"probes_sent\":%llu,\"probes\":%zu,\"probes_missing\":%zu,\"notifications\":%llu,"
    "\"max_lag_ms\":%.1f,\"p50_ms\":%.2f,\"p95_ms\":%.2f,\"p99_ms\":%.2f,"
    "\"max_ms\":%.2f,\"min_ms\":%.2f%s}\n",
    error.empty() ? "true" : "false", error.c_str(), o.rate, rate,
    static_cast<unsigned long long>(run.events), run.seconds, o.warmup_s,
    static_cast<unsigned long long>(every), static_cast<unsigned long long>(run.probes), ms.size(),
    missing, static_cast<unsigned long long>(notifications), run.max_lag_ms, pct(0.5), pct(0.95),
    pct(0.99), ms.empty() ? 0.0 : ms.back(), ms.empty() ? 0.0 : ms.front(), stage_fields.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"latency bench: paced events into Kafka, probe keys timed as they appear in Redis"};
  options o;
  app.add_option("--bootstrap", o.bootstrap, "Kafka bootstrap servers")->required();
  app.add_option("--topic", o.topic, "Kafka topic")->capture_default_str();
  app.add_option("--redis-host", o.redis_host, "Redis the node writes to")->capture_default_str();
  app.add_option("--redis-port", o.redis_port, "its port")->capture_default_str();
  app.add_option("--rate", o.rate, "events per second to produce")->capture_default_str()
    ->check(CLI::PositiveNumber);
  app.add_option("--seconds", o.seconds, "length of the paced run")->capture_default_str()
    ->check(CLI::PositiveNumber);
  app.add_option("--warmup", o.warmup_s, "first seconds whose probes are not reported")
    ->capture_default_str();
  app.add_option("--probe-every", o.probe_every, "every n-th event is a probe (0: rate/200 in [1, 1000])")
    ->capture_default_str();
  app.add_option("--settle", o.settle_s, "seconds to wait for the last probes")->capture_default_str();
  app.add_option("--ready-timeout", o.ready_timeout_s, "seconds to wait for the node's first write")
    ->capture_default_str();
  app.add_option("--min-rate-share", o.min_rate_share, "fail below this share of --rate")
    ->capture_default_str();
  app.add_option("--max-lag-ms", o.max_lag_ms, "fail when the sender falls this far behind")
    ->capture_default_str();
  app.add_option("--seed", o.seed, "generator seed")->capture_default_str();
  app.add_option("--metrics-port", o.metrics_port, "the node's /metrics port on 127.0.0.1 (0: no stage table)")
    ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  const uint64_t every =
    o.probe_every > 0 ? o.probe_every : std::clamp<uint64_t>(static_cast<uint64_t>(o.rate / 200), 1, 1000);
  const auto ready_max = static_cast<size_t>(o.ready_timeout_s * 10) + 2;
  probe_ledger ledger(ready_max + static_cast<size_t>(o.rate * o.seconds) / every + 2);
  std::string error;
  rtfeat::bench::stage_scraper stages(o.metrics_port);  // before the producer: its reports call it
  probe_reader reader;
  auto producer = rtfeat::kafka_producer::create(o.bootstrap, error, {{"message.timeout.ms", "30000"}});
  if (producer == nullptr || !reader.start(o, ledger, error)) {
    std::fprintf(stderr, "latency_probe: %s\n", error.c_str());
    return 2;
  }
  if (!wait_until_ready(*producer, o, ledger)) {
    std::fprintf(stderr, "latency_probe: no probe visible in Redis after %.0f s: is the node running?\n",
                 o.ready_timeout_s);
    return 1;
  }
  std::fprintf(stderr, "latency_probe: node ready; %.0f events/s for %.0f s, every %llu-th a probe\n",
               o.rate, o.seconds, static_cast<unsigned long long>(every));
  producer->on_delivered([&stages](int64_t latency_us) { stages.delivered(latency_us); });
  const paced_run run = run_paced(*producer, o, ledger, every, stages);
  settle(*producer, o, ledger);
  stages.end_window();
  reader.stop();
  const size_t missing = ledger.missing(0);
  const auto ms = measured_latencies(ledger, run);
  const double rate = run.seconds > 0 ? static_cast<double>(run.events) / run.seconds : 0;
  error = judge(o, run, rate, missing, ms.size());
  print_result(o, run, ms, missing, every, reader.notifications(), error, stages.json_fields());
  if (!error.empty()) std::fprintf(stderr, "latency_probe: FAILED: %s\n", error.c_str());
  return error.empty() ? 0 : 1;
}

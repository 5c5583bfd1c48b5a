// A general keyed Kafka producer (events, dead letters): librdkafka behind a small
// value-returning interface, configured for SPEC §4a's partitioning (Java-compatible
// murmur2 of the key) and per-partition order under retries (idempotence).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct rd_kafka_s;
struct rd_kafka_topic_s;
struct rd_kafka_message_s;

namespace rtfeat {

/// Not thread-safe: one thread calls send/poll/flush (delivery reports run in
/// that thread, inside send/poll/flush). The counters may be read from anywhere.
class kafka_producer {
public:
  using config_overrides = std::vector<std::pair<std::string, std::string>>;

  /// Connects lazily to `bootstrap` (host:port[,...]). `overrides` are librdkafka
  /// properties applied after the defaults (e.g. message.timeout.ms for tests).
  /// Returns nullptr and sets `error` on a bad configuration.
  static std::unique_ptr<kafka_producer> create(const std::string& bootstrap, std::string& error,
                                                const config_overrides& overrides = {});

  /// Messages not yet delivered are purged (and counted as failed): flush first.
  ~kafka_producer();
  kafka_producer(const kafka_producer&) = delete;
  kafka_producer& operator=(const kafka_producer&) = delete;

  /// Enqueues a copy of `value` for `topic`, keyed by `key` (empty = null key,
  /// i.e. a random partition). Blocks while the local queue is full, serving
  /// delivery reports. Returns false (and counts a failure) when librdkafka
  /// refuses the message, e.g. because it is larger than message.max.bytes.
  bool send(std::string_view topic, std::string_view key, std::string_view value);

  /// Serves delivery reports for up to `timeout_ms`.
  void poll(int timeout_ms);

  /// Waits up to `timeout_ms` until every message sent so far has a delivery
  /// report. Returns false on timeout; check failed() for failed deliveries.
  bool flush(int timeout_ms);

  /// Messages sent but without a delivery report yet.
  size_t in_flight() const;

  uint64_t delivered() const { return delivered_.load(std::memory_order_relaxed); }
  uint64_t failed() const { return failed_.load(std::memory_order_relaxed); }

  /// Called for each message whose delivery failed for good (after librdkafka's
  /// retries, or purged at destruction), with its topic, value and the error,
  /// so that the caller can keep it elsewhere. Runs in: the thread in send/poll/flush.
  using failure_handler =
    std::function<void(std::string_view topic, std::string_view value, const std::string& error)>;
  void on_failure(failure_handler handler) { on_failure_ = std::move(handler); }

  /// Called for each delivered message with librdkafka's latency from send() to the
  /// broker's ack (µs: linger, broker, acks). Runs in: the thread in send/poll/flush.
  using delivery_handler = std::function<void(int64_t latency_us)>;
  void on_delivered(delivery_handler handler) { on_delivered_ = std::move(handler); }

  /// The last error seen (refused send, failed delivery or client error such as
  /// "all brokers down"); empty when none. Client errors alone are retriable.
  std::string last_error() const;

private:
  kafka_producer() = default;
  static void on_delivery(rd_kafka_s* rk, const rd_kafka_message_s* msg, void* opaque);
  static void on_error(rd_kafka_s* rk, int err, const char* reason, void* opaque);
  rd_kafka_topic_s* topic_handle(std::string_view topic);
  void set_error(std::string message);

  rd_kafka_s* rk_ = nullptr;
  std::map<std::string, rd_kafka_topic_s*, std::less<>> topics_;
  uint64_t sends_since_poll_ = 0;
  std::atomic<uint64_t> delivered_{0};
  std::atomic<uint64_t> failed_{0};
  mutable std::mutex error_mutex_;
  std::string last_error_;
  failure_handler on_failure_;
  delivery_handler on_delivered_;
};

}  // namespace rtfeat

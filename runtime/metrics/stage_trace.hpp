// What the reader, the shard and the sink each do for the stage histograms
// (stage_latency.hpp), kept here so the actors only call a line or two. Each
// object belongs to one actor; nothing is per event but a bucket increment.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "runtime/metrics/stage_latency.hpp"

namespace rtfeat {

/// Start stamps of work not yet finished, each with its weight. Past `cap`
/// entries (a stalled sink) the newest absorbs the rest: memory stays bounded,
/// and those events count as younger than they are.
class pending_stamps {
public:
  void add(int64_t at_us, uint64_t n) {
    if (n == 0) return;
    if (stamps_.size() < cap) stamps_.emplace_back(at_us, n);
    else stamps_.back().second += n;
  }
  /// Observes `done_us` minus each stamp into `s`, then forgets them.
  void finish(int64_t done_us, stage s, stage_latencies& out) {
    for (const auto& [at, n] : stamps_) out.observe(s, done_us - at, n);
    stamps_.clear();
  }
  const std::vector<std::pair<int64_t, uint64_t>>& stamps() const { return stamps_; }

private:
  static constexpr size_t cap = 1024;
  std::vector<std::pair<int64_t, uint64_t>> stamps_;
};

/// Runs in: a partition reader. poll_started(), message() per message, batch_sent()
/// per batch to a shard, poll_done() to publish the poll's Kafka tally.
class reader_stage_trace {
public:
  void poll_started() {
    poll_wall_us_ = stage_wall_us();
    poll_us_ = stage_clock_us();
  }
  /// `kafka_ts_ms`: the message's Kafka timestamp; < 0 when it has none (files).
  void message(int64_t kafka_ts_ms) {
    if (kafka_ts_ms < 0) return;
    int64_t us = poll_wall_us_ - kafka_ts_ms * 1000;
    auto v = us > 0 ? static_cast<uint64_t>(us) : 0;
    size_t i = 0;
    while (i < stage_bounds_us.size() && v > stage_bounds_us[i]) ++i;
    ++kafka_counts_[i];
    kafka_sum_ += v;
    kafka_any_ = true;
  }
  /// A batch of `events` left for a shard at `sent_us` (stage_clock_us).
  void batch_sent(int64_t sent_us, size_t events, stage_latencies& out) const {
    out.observe(stage::reader, sent_us - poll_us_, events);
  }
  void poll_done(stage_latencies& out) {
    if (!kafka_any_) return;
    out.by_stage[static_cast<size_t>(stage::kafka)].add(kafka_counts_, kafka_sum_);
    kafka_counts_.fill(0);
    kafka_sum_ = 0;
    kafka_any_ = false;
  }

private:
  int64_t poll_wall_us_ = 0;
  int64_t poll_us_ = 0;
  std::array<uint64_t, stage_bounds_us.size() + 1> kafka_counts_{};
  uint64_t kafka_sum_ = 0;
  bool kafka_any_ = false;
};

/// Runs in: a keyed shard. batch_started() when it takes a batch, flushed() when
/// its changes go to the sinks (a flush that ran, not one deferred).
class shard_stage_trace {
public:
  /// `sent_us`: the reader's stamp, 0 when unknown (a batch from another node).
  void batch_started(int64_t sent_us, size_t events, stage_latencies& out) {
    auto now = stage_clock_us();
    if (sent_us > 0) out.observe(stage::shard_queue, now - sent_us, events);
    started_.add(now, events);
  }
  void flushed(stage_latencies& out) { started_.finish(stage_clock_us(), stage::flush_wait, out); }

private:
  pending_stamps started_;
};

/// Runs in: a Redis sink. received() per update batch, written() when a pipeline
/// carrying everything received so far got Redis' reply, `took_us` after it started.
class sink_stage_trace {
public:
  void received(int64_t sent_us, size_t updates) {
    if (sent_us > 0) received_.add(sent_us, updates);
  }
  void written(int64_t took_us, stage_latencies& out) {
    uint64_t n = 0;
    for (const auto& stamp : received_.stamps()) n += stamp.second;
    out.observe(stage::redis, took_us, n);
    received_.finish(stage_clock_us() - took_us, stage::sink_queue, out);
  }

private:
  pending_stamps received_;
};

}  // namespace rtfeat

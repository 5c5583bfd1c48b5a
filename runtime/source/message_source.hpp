// One partition's raw messages, from Kafka or from a JSONL file split into
// logical partitions (SPEC §4a). Readers poll it without blocking.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

namespace rtfeat {

class message_source {
public:
  using visitor = std::function<void(int64_t offset, std::string_view payload)>;
  virtual ~message_source() = default;

  /// Calls `fn` for up to `max` messages that are available now; returns how many.
  /// Runs in: the reader actor; never blocks.
  virtual size_t poll(size_t max, const visitor& fn) = 0;

  /// True once a bounded source (drain mode) has delivered everything up to
  /// the end offsets seen at start; always false for an unbounded source.
  virtual bool at_end() const = 0;

  /// Inside poll()'s visitor: the Kafka timestamp (ms since the epoch, CreateTime)
  /// of the message being visited; -1 when it has none (files). For the stage metrics.
  virtual int64_t message_timestamp_ms() const { return -1; }
};

}  // namespace rtfeat

// The node's Kafka consumer: one rd_kafka handle, partitions assigned from
// explicit offsets (checkpoints own offsets, not the group), and one queue per
// partition so each partition-reader actor polls only its own partition.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/source/message_source.hpp"

namespace rtfeat {

struct partition_offsets {
  int32_t partition = 0;
  int64_t low = 0;   // oldest offset the broker still has
  int64_t high = 0;  // next offset to be written (end)
};

class kafka_consumer {
public:
  ~kafka_consumer();
  kafka_consumer(const kafka_consumer&) = delete;
  kafka_consumer& operator=(const kafka_consumer&) = delete;

  static std::unique_ptr<kafka_consumer> create(const std::string& bootstrap,
                                                const std::string& group_id, std::string& error);

  /// Partition count of `topic` from metadata; -1 and `error` when unknown.
  int32_t partition_count(const std::string& topic, std::string& error);

  /// Low/high watermark offsets of every partition of `topic`.
  bool query_offsets(const std::string& topic, int32_t partitions,
                     std::vector<partition_offsets>& out, std::string& error);

  /// Assigns `partitions` starting at `start[i]` and returns one source per
  /// partition; when `end` is given (drain mode) each source ends there.
  std::vector<std::unique_ptr<message_source>> assign(const std::string& topic,
                                                      const std::vector<int32_t>& partitions,
                                                      const std::vector<int64_t>& start,
                                                      const std::vector<int64_t>* end,
                                                      std::string& error);

  /// Serves the handle's own queue (errors, logs). `all_brokers_down` is set when
  /// librdkafka reported that no broker of the bootstrap list is reachable.
  /// Runs in: the caller's thread.
  void poll_events(std::string& last_error, bool& all_brokers_down);

private:
  explicit kafka_consumer(void* handle) : rk_(handle) {}
  void* rk_;  // rd_kafka_t*, kept opaque so actors never include librdkafka
};

}  // namespace rtfeat

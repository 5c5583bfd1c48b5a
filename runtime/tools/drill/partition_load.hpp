// How the drill's log spreads over the partitions, counted before anything is
// produced with the file source's partitioner (file_partition_of: murmur2 of
// user_id, as the producer keys it): the default pace comes from these counts,
// and a partition the Kafka mock would truncate sends the drill to the file source.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rtfeat {

struct partition_load {
  std::vector<uint64_t> events;  // per partition
  std::vector<uint64_t> bytes;   // per partition, as Kafka records (line + key + overhead)

  uint64_t total_events() const;
  /// The partition with the most events (the one that drains last at a given pace).
  uint32_t fullest() const;
  uint64_t max_events() const { return events.empty() ? 0 : events[fullest()]; }
};

/// What the mock (librdkafka's) keeps per partition before it silently drops the
/// oldest batches: 100 000 batches or 5 MiB of record batches. Batches hold one
/// message or more, so 100 000 messages is a safe reading of the first limit.
inline constexpr uint64_t mock_partition_max_messages = 100000;
inline constexpr uint64_t mock_partition_max_bytes = 5ull << 20;

/// Counts every line of `path` into `partitions` partitions as the file source
/// and the producer place them. False with `error` when the file cannot be read.
/// Blocks: reads the whole file (about a second per million lines).
bool count_partition_load(const std::string& path, uint32_t partitions, partition_load& out,
                          std::string& error);

/// Why the mock could not hold `load` (the first partition over nine tenths of a
/// limit, the rest left for batch headers), or nullopt when it fits.
std::optional<std::string> mock_kafka_overflow(const partition_load& load);

}  // namespace rtfeat

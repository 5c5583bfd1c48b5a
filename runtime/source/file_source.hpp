// The file source: a JSONL file split into P logical partitions with the Kafka
// partitioner on user_id, file order kept inside each partition (SPEC §4a).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/source/message_source.hpp"

namespace rtfeat {

/// The partition the file source gives line `line_no` (0-based) of its file,
/// whose user_id (message_key_extractor) is `user_id`: the Kafka partitioner on
/// it, else line_no % partitions. Whoever sizes partitions for a file (the
/// drill) asks this, not a copy of it. REQUIRES: partitions > 0.
int32_t file_partition_of(std::optional<std::string_view> user_id, uint64_t line_no,
                          int32_t partitions);

/// Reads `path` and returns one source per partition. Lines whose user_id
/// cannot be read (they will be rejected anyway) go to partition line % P.
/// Returns an empty vector and sets `error` when the file cannot be read.
/// `start[p]` (when given) is the first offset (line index within partition p) to deliver.
/// Only the partitions in `only` (ascending; null = all) hold their lines, from
/// their start on: a cluster node keeps its own share of the file in memory;
/// the others come back empty.
std::vector<std::unique_ptr<message_source>> open_file_sources(
  const std::string& path, int32_t partitions, const std::vector<int64_t>& start,
  std::string& error, const std::vector<int32_t>* only = nullptr);

}  // namespace rtfeat

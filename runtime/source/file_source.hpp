// The file source: a JSONL file split into P logical partitions with the Kafka
// partitioner on user_id, file order kept inside each partition (SPEC §4a).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "runtime/source/message_source.hpp"

namespace rtfeat {

/// Reads `path` and returns one source per partition. Lines whose user_id
/// cannot be read (they will be rejected anyway) go to partition line % P.
/// Returns an empty vector and sets `error` when the file cannot be read.
/// `start[p]` (when given) is the first offset (line index within partition p) to deliver.
std::vector<std::unique_ptr<message_source>> open_file_sources(const std::string& path,
                                                                int32_t partitions,
                                                                const std::vector<int64_t>& start,
                                                                std::string& error);

}  // namespace rtfeat

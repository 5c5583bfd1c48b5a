// Opens the node's partitions: the JSONL file split into logical partitions,
// or the Kafka topic with every partition assigned from its oldest offset.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/job_config.hpp"
#include "runtime/kafka/consumer.hpp"
#include "runtime/source/message_source.hpp"

namespace rtfeat::node {

struct node_sources {
  std::unique_ptr<kafka_consumer> consumer;  // null for the file source
  std::vector<std::unique_ptr<message_source>> sources;
  std::vector<int32_t> partitions;
  std::vector<int64_t> start_offsets;
};

/// With `drain`, Kafka partitions end at the end offsets seen now. `resume`
/// maps partition -> offset to start from (a checkpoint); others start at the
/// oldest offset the broker has. `only` (a cluster node's partitions, ascending)
/// limits the partitions opened; null = all.
bool open_node_sources(const job_config& cfg, bool drain, const std::map<int32_t, int64_t>& resume,
                       node_sources& out, std::string& error, const std::vector<int32_t>* only = nullptr);

/// Closes `src` with its Kafka consumer destroyed on a thread of its own (joined at
/// exit): rd_kafka_destroy waits for its broker threads, 10-130 ms that a rollback
/// need not wait for.
void close_in_background(node_sources& src);

}  // namespace rtfeat::node

// `rtfeat cluster status` (docs/cluster.md): what each member of a cluster owns
// by placement (partitions, key groups), whether its cluster port answers, the
// newest complete checkpoint, and how far each member's checkpointed offsets are
// behind the end of its partitions. Built from plain inputs, so it is tested
// without a cluster; the command gathers them (config, checkpoint store, Kafka).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/job_config.hpp"
#include "runtime/checkpoint/manifest.hpp"
#include "runtime/kafka/consumer.hpp"

namespace rtfeat {

struct member_status {
  std::string id;
  std::string host;
  int64_t port = 0;
  std::optional<bool> reachable;  // its cluster port accepted a connection; nullopt: not asked
  std::vector<int32_t> partitions;
  uint32_t first_key_group = 0;  // key groups [first_key_group, end_key_group)
  uint32_t end_key_group = 0;
  /// Events between the newest checkpoint's offsets (the low watermark without
  /// one) and the end of its partitions: what a restart would read again or
  /// read for the first time. nullopt when the ends are unknown.
  std::optional<int64_t> checkpoint_lag;

  std::string address() const { return host + ":" + std::to_string(port); }
};

struct cluster_status {
  uint64_t epoch = 0;  // membership epoch (0: the config's node list, nothing committed)
  std::string change;  // what made that epoch ("leave n2")
  std::vector<member_status> members;
  uint32_t partitions = 0;
  uint32_t max_parallelism = 0;
  std::optional<uint64_t> checkpoint_id;  // newest complete checkpoint
  int64_t checkpoint_created_ms = 0;
  std::optional<int64_t> checkpoint_lag;  // the members' sum
};

/// `cfg` with at least one node. `ends`: every partition's offsets from Kafka
/// (nullptr: unknown). `reachable[i]` for cfg.nodes[i] (shorter: not asked).
cluster_status describe_cluster(const job_config& cfg,
                                const std::optional<checkpoint_manifest>& newest,
                                const std::vector<partition_offsets>* ends,
                                const std::vector<bool>& reachable);

/// One JSON object: {"epoch", "change", "members": [...], "partitions", "max_parallelism",
/// "checkpoint": {"id", "created_ms", "age_ms"} or null, "checkpoint_lag"}.
std::string cluster_status_json(const cluster_status& s, int64_t now_ms);

/// A table for people, one line per member and a summary line.
std::string cluster_status_text(const cluster_status& s, int64_t now_ms);

}  // namespace rtfeat

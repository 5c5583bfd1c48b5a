// Partition-reader actor: one per partition. Polls its source, parses and
// validates, tracks the partition watermark and lateness (SPEC §4a), and sends
// events in batches to the shards that own their key groups.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "actors/messages.hpp"
#include "actors/routing.hpp"
#include "caf/actor.hpp"
#include "caf/fwd.hpp"
#include "caf/stateful_actor.hpp"
#include "runtime/event_parser.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/metrics/node_metrics.hpp"
#include "runtime/metrics/stage_trace.hpp"
#include "runtime/rate_limiter.hpp"
#include "runtime/source/message_source.hpp"
#include "runtime/window/future_skew_guard.hpp"
#include "runtime/window/partition_watermark.hpp"

namespace rtfeat {

struct reader_settings {
  uint32_t index = 0;      // reader number among all readers of the job
  int32_t partition = 0;
  message_source* source = nullptr;  // owned by the node, outlives the actor
  bool drain = false;
  int64_t out_of_orderness_ms = 0;
  int64_t max_future_skew_ms = 0;  // 0 = off
  int64_t max_lateness_ms = 0;
  int64_t idle_timeout_ms = 0;
  size_t batch_events = 1024;
  /// Messages per poll. A shard's mailbox holds up to readers x poll_max x
  /// max_in_flight events ahead of a barrier: the node divides one budget
  /// among its readers so that barriers (and checkpoints) stay fast.
  size_t poll_max = 2048;
  int64_t max_rate = 0;  // events/s this reader takes at most; 0 = no limit
  std::shared_ptr<const feature_plan> plan;
  std::shared_ptr<const routing> routes;
  caf::actor dead_letters;
  caf::actor coordinator;  // gets reader_position at barriers, (end_atom, index) when drained
  int64_t start_offset = 0;
  int64_t start_watermark = no_watermark;  // W_p from the checkpoint restored
  int64_t start_future_suspect = no_future_suspect;  // from the checkpoint restored
  node_metrics* metrics = nullptr;
};

struct partition_reader_state {
  static inline const char* name = "partition_reader";
  reader_settings cfg;
  std::unique_ptr<event_parser> parser;
  std::unique_ptr<partition_watermark> watermark;
  std::unique_ptr<future_skew_guard> future_guard;
  std::vector<event_batch> to_users;
  std::vector<event_batch> to_categories;
  // Events of the last batch sent to each shard: a batch's first event reserves
  // as many (a batch that grew by doubling moved each event about once more).
  std::vector<uint32_t> users_sent, categories_sent;
  std::vector<uint32_t> category_masks;  // scratch for route(): scopes per category shard
  std::vector<size_t> touched;           // scratch: category shards with a non-zero mask
  std::string key;                       // scratch: scope key
  int64_t last_sent_watermark = no_watermark;
  int64_t next_offset = 0;  // first offset not yet read: where a restore seeks
  int64_t last_data_ms = 0;  // steady clock
  uint64_t late_unlogged = 0;  // late drops not yet in a stderr line
  int64_t last_late_log_ms = 0;  // steady clock of the last such line
  bool idle = false;
  bool ended = false;
  size_t in_flight = 0;   // batches sent and not yet taken by a shard
  bool starved = false;   // polling paused until credits come back
  rate_limiter pace;      // source.max_rate_per_partition
  reader_stage_trace trace;  // stage latency metrics
};

caf::behavior partition_reader(caf::stateful_actor<partition_reader_state>* self, reader_settings cfg);

}  // namespace rtfeat

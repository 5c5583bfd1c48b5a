// Keyed shard actor: owns the feature state of a range of key groups (user or
// category), merges its readers' watermarks, and flushes absolute values to
// the sink that owns each Redis key.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "caf/actor.hpp"
#include "caf/fwd.hpp"
#include "caf/stateful_actor.hpp"
#include "actors/messages.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/features/feature_state.hpp"
#include "runtime/node_metrics.hpp"
#include "runtime/window/watermark_merge.hpp"

namespace rtfeat {

enum class shard_kind : uint8_t { user, group };

struct shard_settings {
  shard_kind kind = shard_kind::user;
  std::shared_ptr<const feature_plan> plan;
  size_t readers = 0;
  std::vector<caf::actor> sinks;
  int64_t flush_interval_ms = 20;
  node_metrics* metrics = nullptr;
};

struct keyed_shard_state {
  static inline const char* name = "keyed_shard";
  shard_settings cfg;
  std::vector<std::unique_ptr<feature_state>> features;
  std::vector<feature_scope> scopes;  // of each feature state
  uint64_t seq = 0;                   // arrival order: log order per entity
  std::unique_ptr<watermark_merge> merge;
  int64_t watermark = no_watermark;
  size_t ended = 0;
  bool flush_scheduled = false;
};

caf::behavior keyed_shard(caf::stateful_actor<keyed_shard_state>* self, shard_settings cfg);

/// The sink that owns a Redis key, so one key is always written in order.
size_t sink_of(std::string_view redis_key, size_t sinks);

}  // namespace rtfeat

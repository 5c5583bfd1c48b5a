// Keyed shard actor: owns the feature state of a range of key groups (users,
// or the groups of every other scope), merges its readers' watermarks, aligns
// checkpoint barriers, and flushes absolute values to the sink of each key.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "actors/messages.hpp"
#include "caf/actor.hpp"
#include "caf/fwd.hpp"
#include "caf/stateful_actor.hpp"
#include "runtime/checkpoint/barrier_alignment.hpp"
#include "runtime/checkpoint/state_changes.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/features/feature_state.hpp"
#include "runtime/features/held_keys.hpp"
#include "runtime/metrics/node_metrics.hpp"
#include "runtime/metrics/stage_trace.hpp"
#include "runtime/window/watermark_merge.hpp"

namespace rtfeat {

enum class shard_kind : uint8_t { user, category };

/// Snapshot bodies to restore from, by snapshot file key group (loaded by the node).
using restored_bodies = std::map<uint32_t, std::string>;

struct shard_settings {
  shard_kind kind = shard_kind::user;
  std::shared_ptr<const feature_plan> plan;
  size_t readers = 0;
  std::vector<caf::actor> sinks;
  int64_t flush_interval_ms = 20;
  node_metrics* metrics = nullptr;
  std::vector<uint32_t> key_groups;  // owned by this shard, 0..max_parallelism-1
  uint32_t max_parallelism = 128;
  uint32_t file_offset = 0;  // snapshot files: user key groups 0.., group key groups max_parallelism..
  caf::actor snapshot_writer;                       // gets shard_snapshot at barriers
  std::shared_ptr<const restored_bodies> restore;  // null: start empty
  bool rewrite_at_start = false;                    // --resync: every key written whole at the first flush
};

/// One feature's state in a shard, with what the shard needs to drive it.
struct shard_feature {
  std::unique_ptr<feature_state> state;
  feature_scope scope = feature_scope::user;    // whose events it takes
  std::string name;                             // in the catalogue
  std::chrono::milliseconds emit_every{0};      // 0 = every flush
  std::chrono::steady_clock::time_point emitted{};  // its last flush
};

struct keyed_shard_state {
  static inline const char* name = "keyed_shard";
  using held_message = std::variant<event_batch, reader_end>;
  shard_settings cfg;
  scope_interners interners;  // entity ids of the features (declared first: outlives them)
  std::vector<shard_feature> features;
  std::vector<named_state> named;  // each feature state with its name: what checkpoints save
  bool emit_scheduled = false;     // an emit_atom is on its way
  std::unique_ptr<watermark_merge> merge;
  std::unique_ptr<barrier_alignment<held_message>> alignment;
  int64_t watermark = no_watermark;
  uint64_t seq = 0;  // arrival order: log order per entity
  size_t ended = 0;
  bool flush_scheduled = false;
  std::chrono::steady_clock::time_point last_flush{};  // of the last flush that ran
  size_t outstanding = 0;     // update batches the sinks have not written yet
  bool flush_wanted = false;  // changes waited for `outstanding` to drain
  std::chrono::steady_clock::time_point align_started{};  // the first barrier of the pending checkpoint
  bool saved = false;              // a checkpoint saved the whole state: later ones save its changes
  shard_changes changes;           // saved since the last checkpoint, for the next one
  shard_stage_trace trace;         // stage latency metrics
  std::string restore_error;       // a body that did not decode: the node fails at its ready request
  held_keys held;  // keys written since a resync's rewrite: what an orphan sweep keeps
};

caf::behavior keyed_shard(caf::stateful_actor<keyed_shard_state>* self, shard_settings cfg);

/// The sink that owns a Redis key, so one key is always written in order.
size_t sink_of(std::string_view redis_key, size_t sinks);

}  // namespace rtfeat

// Message types between readers, shards, sinks and the dead-letter writer.
// Those that cross nodes in a cluster have inspect() in message_inspect.hpp
// (registered in message_types.cpp); the others never leave their node and stay
// local-only (CAF_ALLOW_UNSAFE_MESSAGE_TYPE).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "caf/allowed_unsafe_message_type.hpp"
#include "runtime/checkpoint/manifest.hpp"
#include "runtime/checkpoint/state_changes.hpp"
#include "runtime/event.hpp"
#include "runtime/features/held_keys.hpp"
#include "runtime/key_update.hpp"
#include "runtime/reject_reason.hpp"

namespace rtfeat {

/// An accepted on-time event with its reader's W_p before it (per-feature lateness).
struct routed_event {
  event ev;
  int64_t wm_at_read = 0;
  uint32_t scopes = 0;  // category shards: scope_bit()s this event was routed here for
};

/// Events of one reader for one shard, in partition order, and the reader's
/// W_p after them (no_watermark while it has none).
struct event_batch {
  uint32_t reader = 0;
  int64_t watermark = 0;
  std::vector<routed_event> events;
  int64_t sent_us = 0;  // stage_clock_us() when sent; not on the wire: 0 from another node
};

/// A reader is done: drained to its end offsets, or stopped.
struct reader_end {
  uint32_t reader = 0;
  int64_t watermark = 0;  // no_watermark = it never had an on-time event
};

struct update_batch {
  std::vector<key_update> updates;
  int64_t sent_us = 0;  // stage_clock_us() when the shard sent it
};

/// Keys a resync's orphan sweep found in Redis for one shard: it deletes those
/// its state does not hold and answers (swept_atom, deleted).
struct orphan_batch {
  std::vector<orphan_candidate> keys;
};

/// Checkpoint barrier `id` from reader `reader`, in order with its event batches.
struct barrier_marker {
  uint32_t reader = 0;
  uint64_t id = 0;
};

/// A reader's position at barrier `id`: where to seek on restore.
struct reader_position {
  uint64_t id = 0;
  int32_t partition = 0;
  int64_t next_offset = 0;
  int64_t watermark = 0;  // no_watermark = none yet
  int64_t future_suspect = 0;  // no_future_suspect = none (future_skew_guard)
};

/// Where a checkpoint's time went, in ms (the slowest shard of a phase): a
/// shard waits for every reader's barrier (align) and pauses its events for
/// the encode; the snapshot writer writes in the background.
struct checkpoint_phases {
  int64_t align_ms = 0;
  int64_t encode_ms = 0;
  int64_t write_ms = 0;
  void merge(const checkpoint_phases& o) {
    align_ms = std::max(align_ms, o.align_ms);
    encode_ms = std::max(encode_ms, o.encode_ms);
    write_ms = std::max(write_ms, o.write_ms);
  }
};

/// What changed in one shard's state up to barrier `id`, for the snapshot
/// writer, which keeps the rest (runtime/checkpoint/shard_snapshots.hpp).
struct shard_snapshot {
  uint64_t id = 0;
  shard_changes changes;
  bool full = false;         // the shard's first save: its whole state
  checkpoint_phases phases;  // align and encode
};

/// The snapshot writer's answer to the coordinator.
struct snapshot_written {
  uint64_t id = 0;
  bool ok = false;
  std::string error;
  std::vector<snapshot_entry> entries;
  checkpoint_phases phases;
};

struct dead_letter {
  reject_reason reason = reject_reason::bad_json;
  int32_t partition = 0;
  int64_t offset = 0;
  std::string payload;
};

}  // namespace rtfeat

#include "actors/message_inspect.hpp"  // event_batch, reader_end, barrier_marker, reader_position, snapshot_written

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtfeat::update_batch)     // shard -> sink of the same node
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtfeat::orphan_batch)     // sink -> shard of the same node
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtfeat::dead_letter)      // reader -> dead-letter sink of the same node
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtfeat::shard_snapshot)   // shard -> snapshot writer of the same node

// Checkpoint coordinator (SPEC §5): triggers checkpoint n every interval with a
// barrier to every reader, collects reader positions, snapshot files and sink
// flushes, and commits the manifest when all are in. One checkpoint at a time;
// one that times out is aborted and counted, and the job keeps running. A
// drained or stopped job ends with a final checkpoint (final_atom).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "caf/actor.hpp"
#include "caf/fwd.hpp"
#include "caf/response_promise.hpp"
#include "caf/stateful_actor.hpp"
#include "runtime/checkpoint/checkpoint_store.hpp"
#include "runtime/metrics/node_metrics.hpp"

namespace rtfeat {

struct coordinator_settings {
  int64_t interval_ms = 1000;  // 0 = checkpoints off
  int64_t timeout_ms = 60000;
  size_t keep = 3;
  std::shared_ptr<const checkpoint_store> store;
  uint64_t catalogue_hash = 0;
  std::string topic;
  size_t shards = 0;
  size_t sinks = 0;
  node_metrics* metrics = nullptr;
  std::map<std::string, std::string> meta;
  caf::actor on_commit;  // gets (committed_atom, id) after each commit (node 0's cluster agent)
};

struct checkpoint_coordinator_state {
  static inline const char* name = "checkpoint_coordinator";
  coordinator_settings cfg;
  std::vector<caf::actor> readers;
  std::vector<bool> ended;  // per reader: drained (still answers barriers)
  uint64_t in_flight = 0;   // 0 = none
  uint64_t last_id = 0;     // the newest id started (aborted ones included): never reused
  std::chrono::steady_clock::time_point started;
  std::vector<reader_position> positions;
  std::vector<snapshot_entry> entries;
  size_t snapshots = 0;
  size_t sinks_flushed = 0;
  checkpoint_phases phases;  // of the checkpoint in flight, over every shard
  bool final_wanted = false;  // a final checkpoint starts when the one in flight ends
  uint64_t final_id = 0;      // the final checkpoint in flight
  caf::response_promise final_rp;
};

caf::behavior checkpoint_coordinator(caf::stateful_actor<checkpoint_coordinator_state>* self,
                                     coordinator_settings cfg);

}  // namespace rtfeat

// The one place a running node says that it is processing: a small JSON file
// (`rtfeat node --status-file F`) rewritten atomically each time its readers
// start, after a (re)start or a rollback. `rtfeat drill` times rollbacks by it;
// the stderr line "node: processing: ..." stays for people.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace rtfeat {

struct node_status {
  int64_t processing_since_unix_ms = 0;  // wall clock when the readers last started
  uint64_t checkpoint = 0;               // the checkpoint they resumed from, 0 = the beginning
  uint64_t starts = 0;                   // times the readers started in this process
  uint64_t resumed_from_checkpoint = 0;  // of those, the ones from a checkpoint (> 0)
  int64_t resume_ms = 0;                 // the way to this start: from the process start or the stop
  std::string resume_stages = {};        // ... by stage: "stop 0 ms, actor system down 93 ms, ..."
};

/// Writes `s` to `path` through a temp file and a rename, so a reader never sees
/// half of it. False with `error` when it cannot be written.
bool write_node_status(const std::string& path, const node_status& s, std::string& error);

/// The status in `path`; nullopt while there is none (not written yet) or it does
/// not parse (never the case for write_node_status's files).
std::optional<node_status> read_node_status(const std::string& path);

}  // namespace rtfeat

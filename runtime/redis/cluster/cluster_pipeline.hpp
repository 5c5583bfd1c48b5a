// Plans how a batch of single-key commands reaches a Redis Cluster: one pipeline
// per master per round, and after the replies, which commands are done, which
// go again (after MOVED, to the new master; after ASK, once to the importing
// node behind ASKING; after TRYAGAIN/CLUSTERDOWN/LOADING or a lost reply, to the
// same slot after a back-off) and which failed. It does no I/O: the caller sends
// each round and reports every reply, so the rules are testable without Redis.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/redis/cluster/node_address.hpp"
#include "runtime/redis/cluster/redirect.hpp"
#include "runtime/redis/cluster/slot_map.hpp"

namespace rtfeat {

/// A command routed by one of its arguments, e.g. {"SET", "user:{u42}", "1"} by args[1].
struct keyed_command {
  std::vector<std::string> args;
  size_t key_index = 1;
};

enum class command_status { pending, in_flight, done, failed };

enum class command_failure {
  none,
  error_reply,        ///< an error no resend can fix (WRONGTYPE, OOM...): the command's own problem
  too_many_redirects, ///< more MOVED/ASK than limits.max_redirects: a redirect loop, the
                      ///< cluster's configuration is inconsistent (retriable later, after a map refresh)
  too_many_retries,   ///< still TRYAGAIN/CLUSTERDOWN/no reply after limits.max_retries: retriable later
};

struct pipeline_limits {
  int max_redirects = 5;  // MOVED + ASK per command; one resharding step needs 2 (ASK, then MOVED)
  int max_retries = 6;    // back-offs per command
  int64_t first_backoff_ms = 10;
  int64_t max_backoff_ms = 640;  // doubling from 10: 6 retries wait at most ~1.3 s in all
};

/// One command of a round, by id; `asking`: send ASKING on the same connection first.
struct planned_command {
  size_t id = 0;
  bool asking = false;
};

/// What to send to one master in a round, in the order to send it.
struct node_batch {
  node_address node;
  std::vector<planned_command> commands;
};

struct pipeline_counts {
  uint64_t moved = 0;
  uint64_t ask = 0;
  uint64_t retried = 0;  // back-offs and lost replies
  uint64_t failed = 0;
};

/// Not thread-safe. Runs in: the thread that owns the connections.
class cluster_pipeline {
public:
  /// REQUIRES: `map` outlives the pipeline; MOVED replies update it.
  explicit cluster_pipeline(slot_map& map, pipeline_limits limits = {});

  /// Adds a command; returns its id (0, 1, ...). REQUIRES: key_index < args.size().
  size_t add(keyed_command cmd);
  /// Adds a unit routed to `slot` whose commands the caller keeps and sends
  /// itself (several commands of one key, e.g. MULTI ... EXEC); command(id) is
  /// empty for it. The caller reports the unit's first error reply, if any.
  size_t add_routed(uint16_t slot);
  const keyed_command& command(size_t id) const { return entries_[id].cmd; }

  /// The pending commands, one batch per node (in order of each node's first
  /// command), each batch in add() order; they become in flight.
  /// REQUIRES: every command of the previous round was reported.
  std::vector<node_batch> next_round();

  /// The reply to an in-flight command was not an error.
  void on_success(size_t id);
  /// The reply to an in-flight command was this error (hiredis's text).
  void on_error_reply(size_t id, std::string_view error);
  /// No reply came (connection lost, timeout): the command may or may not have run.
  void on_no_reply(size_t id, std::string_view why);

  /// Nothing pending or in flight.
  bool finished() const { return open_ == 0; }
  /// How long to wait before next_round(): 0 unless a command must back off.
  int64_t backoff_ms() const { return backoff_ms_; }
  /// A MOVED or a lost reply was seen: the caller should re-read CLUSTER SLOTS
  /// (one MOVED usually means a whole range moved, not one slot).
  bool map_is_stale() const { return map_is_stale_; }

  command_status status(size_t id) const { return entries_[id].status; }
  command_failure failure(size_t id) const { return entries_[id].failure; }
  /// The last error reply of a failed command ("" for one that succeeded).
  const std::string& error(size_t id) const { return entries_[id].error; }
  const pipeline_counts& counts() const { return counts_; }

private:
  struct entry {
    keyed_command cmd;
    uint16_t slot = 0;
    command_status status = command_status::pending;
    node_address sent_to;
    node_address ask_target;  // set while the next send must follow an ASK
    bool follow_ask = false;
    int redirects = 0;
    int retries = 0;
    command_failure failure = command_failure::none;
    std::string error;
  };
  entry& in_flight(size_t id);
  void fail(entry& e, command_failure why, std::string_view error);
  void retry(entry& e, std::string_view error);

  slot_map& map_;
  pipeline_limits limits_;
  std::vector<entry> entries_;
  size_t open_ = 0;  // pending + in flight
  int64_t backoff_ms_ = 0;
  bool map_is_stale_ = false;
  pipeline_counts counts_;
};

}  // namespace rtfeat

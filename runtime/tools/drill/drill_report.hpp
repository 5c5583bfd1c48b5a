// The numbers a drill ends with, and their two forms: the text report printed at
// the end (docs/cluster.md explains each line) and the same numbers as JSON
// (--report). Plain data: the drill fills it in, nothing here runs anything.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rtfeat {

/// One SIGKILL of one node and what followed.
struct kill_record {
  std::string node;    // the victim's id
  double at_s = 0;     // since the first node started
  std::string moment;  // what the plan waited for (kill_plan.hpp)
  uint64_t checkpoint_in_flight =
    0;  // files of this checkpoint were being written at the kill; 0 = none
  bool in_flight_committed = false;  // ... and it got its MANIFEST anyway
  uint64_t complete_at_kill = 0;     // the newest complete checkpoint at the kill; 0 = none
  uint64_t restored_checkpoint = 0;  // the cluster resumed from it; 0 = the beginning
  int64_t pause_ms = 0;              // SIGKILL -> the node restarted
  int64_t rollback_ms = 0;           // SIGKILL -> every node processing again
  std::string last_node = {};           // the last node processing again: what the rollback waited for
  int64_t last_resume_ms = 0;           // its way back (from its start if it is the victim, else its stop)
  std::string last_resume_stages = {};  // ... by stage
};

/// SIGKILL of the whole cluster, then the new node list restored the checkpoint.
struct rescale_record {
  uint32_t from_nodes = 0, to_nodes = 0;
  double at_s = 0;
  uint64_t checkpoint_in_flight = 0;
  bool in_flight_committed = false;
  uint64_t complete_at_kill = 0;
  uint64_t restored_checkpoint = 0;
  int64_t pause_ms = 0;
  int64_t rollback_ms = 0;
};

/// A committed membership epoch the drill caused (a join, a leave, or the
/// replacement of a node it lost) and how long the cluster stood still for it.
struct membership_change_record {
  std::string kind;                  // join, leave, replace
  std::string node;                  // the joiner, the leaver, the node lost
  uint64_t epoch = 0;                // the membership epoch committed for it
  double at_s = 0;                   // the drill acted (start, leave command, SIGKILL)
  double committed_s = 0;            // the epoch's commit (its created_ms)
  uint64_t restored_checkpoint = 0;  // every member of the epoch resumed from it
  int64_t pause_ms = 0;              // the commit -> every member of the epoch processing
  int64_t since_action_ms = 0;       // the drill's action -> every member processing
};

/// min / median / 95th percentile / max of a few durations (nearest rank).
struct duration_summary {
  size_t count = 0;
  int64_t min = 0, p50 = 0, p95 = 0, max = 0;
};

/// The nearest-rank percentile p (0 < p <= 100) of `values`: the smallest value
/// with at least p % of the values at or below it. 0 for no values.
int64_t percentile(std::vector<int64_t> values, double p);
duration_summary summarize(const std::vector<int64_t>& values);

struct drill_report {
  std::string source;  // "generated, seed 7" or the --from path
  uint64_t events = 0;
  uint32_t partitions = 0;
  std::string source_kind =
    "kafka";                    // what the nodes read: kafka, or file when the mock would truncate
  std::string source_kind_why;  // for file: the partition the mock could not hold
  uint32_t nodes = 0;
  uint32_t nodes_after = 0;  // = nodes without a rescale
  int64_t checkpoint_interval_ms = 0;
  uint64_t checkpoints_completed = 0;
  uint32_t kills_planned = 0;
  std::vector<kill_record> kills;
  std::optional<rescale_record> rescale;
  std::vector<membership_change_record> membership_changes;
  int64_t rate_per_partition = 0;     // source.max_rate_per_partition of the nodes; 0 = no limit
  bool rate_defaulted = false;        // the drill chose it (disruptions and no --rate)
  uint64_t restores = 0;              // node starts and rollbacks that resumed from a checkpoint
  uint64_t final_checkpoint = 0;      // the checkpoint the last run of the cluster resumed from
  uint64_t events_at_checkpoint = 0;  // its Kafka positions, summed
  uint64_t events_read_after = 0;     // read by the last run's nodes
  uint64_t events_in_kafka = 0;       // high - low watermarks, summed, after the run (0: file)
  double produce_s = 0, cluster_s = 0, oracle_s = 0, wall_s = 0;
  std::optional<uint64_t> differences;  // nullopt: the oracle diff did not run
  std::vector<std::string> failures;    // why the drill failed; empty = passed
  std::string work_dir;                 // kept with --keep, else removed

  /// What the cluster read in the end: the final checkpoint's positions plus what
  /// the last run read after restoring it. Equal to `events` when nothing was lost.
  uint64_t events_read() const { return events_at_checkpoint + events_read_after; }
  bool passed() const { return failures.empty() && differences == uint64_t{0}; }
  /// Events per second of cluster time (first node start -> last node exit).
  double throughput() const { return cluster_s > 0 ? static_cast<double>(events) / cluster_s : 0; }
  std::vector<int64_t> rollback_ms() const;
  std::vector<int64_t> membership_pause_ms() const;
  /// Per kill, the rollback less the drill's restart pause: what the engine took
  /// once the killed node was started again.
  std::vector<int64_t> after_restart_ms() const;
};

std::string format_report_text(const drill_report& r);
std::string format_report_json(const drill_report& r);

}  // namespace rtfeat

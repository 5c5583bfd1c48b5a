// What `rtfeat drill` is asked to do (docs/cluster.md "Recovery drill"), and the
// checks that turn a bad combination of flags into one clear error before any
// process is started.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "runtime/tools/drill/partition_load.hpp"

namespace rtfeat {

struct drill_options {
  uint32_t nodes = 0;
  std::optional<uint64_t> events;  // generate this many events ...
  std::string from;                // ... or replay this recorded JSONL log
  uint32_t kills = 0;
  std::optional<uint32_t> rescale_to;
  std::optional<uint32_t> partitions;  // default: default_drill_partitions(events)
  uint64_t seed = 1;
  int64_t checkpoint_ms = 500;
  bool keep = false;                           // keep the work dir
  std::string report;                          // also write the report as JSON here
  std::string config = "config/cluster.toml";  // every key but the services and the node list
  std::string redis_server = "redis-server";   // looked up in PATH unless it has a '/'
  // Membership changes (membership_plan.hpp); seconds count from the cluster processing.
  std::optional<double> join_at;   // start one more node with --join
  std::optional<double> leave_at;  // `rtfeat cluster leave` of `leave`
  std::string leave;               // default: the last member but the coordinator and `lose`
  std::string lose;                // SIGKILL for good after a checkpoint; the others replace it
  std::optional<int64_t> rate;     // source.max_rate_per_partition of every node (0 = no limit)
                                   // default: drill_rate
};

/// Most nodes a drill starts on one host (each is a process with its own threads).
inline constexpr uint32_t max_drill_nodes = 16;
/// Kills and the rescale wait for checkpoints to complete, and under a full
/// drain a checkpoint takes the cluster seconds (barriers queue behind data), a
/// few hundred thousand events on a busy 2-core box. Below this many events per
/// kill or rescale an unpaced drill (--rate 0) usually drains before it is done.
inline constexpr uint64_t min_events_per_disruption = 100000;
/// A paced drill lasts as long as its plan whatever the events, as long as the
/// fullest partition has a few events per second of it.
inline constexpr uint64_t min_paced_events_per_disruption = 10000;

/// One partition per 10 000 events, at least 32 (as bench/ does): the mock keeps
/// only ~100 000 messages or 5 MiB per partition and silently drops older ones.
uint32_t default_drill_partitions(uint64_t events);

/// Empty when the flags make sense together, else the error (naming the flags).
/// The event count of --from is unknown here: check_drill_events does that part.
std::string validate_drill_options(const drill_options& o);

/// True when the drill disrupts the cluster (kills, a rescale, membership
/// changes): then the cluster must not drain before the plan is done.
bool has_disruptions(const drill_options& o);

/// Seconds of reading that outlast the plan's disruptions with room to spare.
double planned_reading_s(const drill_options& o);

/// Longest a hot partition may stretch the drill, in planned_reading_s().
inline constexpr double max_fullest_partition_plans = 3.0;

/// The pace (events/s per partition reader) the nodes get: --rate, else, when the
/// drill has disruptions, one at which the cluster reads the log (`load`) in
/// planned_reading_s(), or its fullest partition in at most
/// max_fullest_partition_plans of that; else 0 = no limit. `defaulted` says the
/// drill chose it.
int64_t drill_rate(const drill_options& o, const partition_load& load, bool& defaulted);

/// Empty when `events` are enough for the kills and rescale asked for: fewer when
/// the drill paces the readers (the default) than with --rate 0.
std::string check_drill_events(const drill_options& o, uint64_t events);

}  // namespace rtfeat

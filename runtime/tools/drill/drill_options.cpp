// Flag checks of `rtfeat drill` (see drill_options.hpp).
#include "runtime/tools/drill/drill_options.hpp"

#include <algorithm>
#include <cmath>

#include "runtime/tools/drill/membership_plan.hpp"

namespace rtfeat {

uint32_t default_drill_partitions(uint64_t events) {
  return static_cast<uint32_t>(std::clamp<uint64_t>((events + 9999) / 10000, 32, 4096));
}

std::string validate_drill_options(const drill_options& o) {
  const auto n = std::to_string(max_drill_nodes);
  if (o.nodes < 1 || o.nodes > max_drill_nodes)
    return "--nodes: expected 1.." + n + ", got " + std::to_string(o.nodes);
  if (o.events && !o.from.empty()) return "give either --events N or --from LOG.jsonl, not both";
  if (!o.events && o.from.empty())
    return "give --events N (generated) or --from LOG.jsonl (recorded)";
  if (o.events && *o.events == 0) return "--events: expected at least 1";
  if (o.rescale_to && (*o.rescale_to < 1 || *o.rescale_to > max_drill_nodes))
    return "--rescale-to: expected 1.." + n + ", got " + std::to_string(*o.rescale_to);
  if (o.kills > 100) return "--kills: expected 0..100, got " + std::to_string(o.kills);
  if (o.partitions && (*o.partitions < 1 || *o.partitions > 4096))
    return "--partitions: expected 1..4096, got " + std::to_string(*o.partitions);
  // Kills are timed by checkpoints, and only a checkpoint makes a rollback more than a restart.
  if (o.checkpoint_ms < 50 || o.checkpoint_ms > 60000)
    return "--checkpoint-ms: expected 50..60000, got " + std::to_string(o.checkpoint_ms);
  if (auto problem = validate_membership_options(o); !problem.empty()) return problem;
  if (o.rate && (*o.rate < 0 || *o.rate > 100000000))
    return "--rate: expected 0..100000000 events/s per partition reader (0 = no limit), got "
           + std::to_string(*o.rate);
  if (o.events) return check_drill_events(o, *o.events);
  return "";
}

int64_t drill_rate(const drill_options& o, uint64_t events, uint32_t partitions, bool& defaulted) {
  defaulted = !o.rate && has_membership_changes(o);
  if (o.rate) return *o.rate;
  if (!defaulted) return 0;
  // Long enough for the kills, the timed changes and a replacement, with room to spare: each
  // takes a few seconds of rollback on a busy box, and a replacement waits replace_after_ms.
  // (Measured: the paced drain takes about 1.5 times this, rollbacks and replays included.)
  double seconds = 10.0 + std::max(o.join_at.value_or(0), o.leave_at.value_or(0)) + 5.0 * o.kills
                   + (o.lose.empty() ? 0.0 : 8.0);
  double per_partition = static_cast<double>(events) / std::max<uint32_t>(partitions, 1) / seconds;
  return std::max<int64_t>(1, static_cast<int64_t>(std::llround(per_partition)));
}

std::string check_drill_events(const drill_options& o, uint64_t events) {
  const uint64_t disruptions = o.kills + (o.rescale_to ? 1 : 0);
  const uint64_t needed = disruptions * min_events_per_disruption;
  if (events >= needed) return "";
  std::string what = std::to_string(o.kills) + " kill" + (o.kills == 1 ? "" : "s")
                     + (o.rescale_to ? " and a rescale" : "");
  auto given = o.from.empty() ? "--events " + std::to_string(events)
                              : "--from " + o.from + " has " + std::to_string(events) + " events";
  return given + ": too few for " + what + ": give at least " + std::to_string(needed) + " ("
         + std::to_string(min_events_per_disruption) + " per kill or rescale), or fewer --kills";
}

}  // namespace rtfeat

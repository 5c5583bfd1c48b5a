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

bool has_disruptions(const drill_options& o) {
  return o.kills > 0 || o.rescale_to || has_membership_changes(o);
}

double planned_reading_s(const drill_options& o) {
  // Each disruption takes a few seconds of rollback on a busy box, and a replacement waits
  // replace_after_ms. (Measured: the paced drain takes about 1.5 times this, rollbacks and
  // replays included.)
  return 10.0 + std::max(o.join_at.value_or(0), o.leave_at.value_or(0)) + 5.0 * o.kills
         + (o.rescale_to ? 5.0 : 0.0) + (o.lose.empty() ? 0.0 : 8.0);
}

int64_t drill_rate(const drill_options& o, const partition_load& load, bool& defaulted) {
  defaulted = !o.rate && has_disruptions(o);
  if (o.rate) return *o.rate;
  if (!defaulted) return 0;
  // The mean partition lasts the plan: every partition at least as long, so the cluster (which
  // drains with its fullest partition) cannot drain early, and the cluster as a whole reads no
  // faster than the plan needs. Faster saturates it, and a saturated cluster's checkpoints take
  // seconds (barriers queue behind data): a join then misses its admission window. (Measured:
  // the 2M-event join/leave/lose drill failed so, paced from the fullest partition.) Only a
  // hot partition is allowed more, so that it does not stretch the drill without bound.
  const double plan = planned_reading_s(o);
  const double mean = static_cast<double>(load.total_events())
                      / static_cast<double>(std::max<size_t>(load.events.size(), 1));
  const double per_partition = std::max(
    mean / plan, static_cast<double>(load.max_events()) / (max_fullest_partition_plans * plan));
  return std::max<int64_t>(1, static_cast<int64_t>(std::llround(per_partition)));
}

std::string check_drill_events(const drill_options& o, uint64_t events) {
  const bool paced = !o.rate || *o.rate > 0;
  const uint64_t per = paced ? min_paced_events_per_disruption : min_events_per_disruption;
  const uint64_t disruptions = o.kills + (o.rescale_to ? 1 : 0);
  const uint64_t needed = disruptions * per;
  if (events >= needed) return "";
  std::string what = std::to_string(o.kills) + " kill" + (o.kills == 1 ? "" : "s")
                     + (o.rescale_to ? " and a rescale" : "");
  auto given = o.from.empty() ? "--events " + std::to_string(events)
                              : "--from " + o.from + " has " + std::to_string(events) + " events";
  auto per_text =
    std::to_string(per) + " per kill or rescale"
    + (paced ? "" : " unpaced, " + std::to_string(min_paced_events_per_disruption) + " paced");
  return given + ": too few for " + what + (paced ? "" : " with --rate 0") + ": give at least "
         + std::to_string(needed) + " (" + per_text + "), or fewer --kills";
}

}  // namespace rtfeat

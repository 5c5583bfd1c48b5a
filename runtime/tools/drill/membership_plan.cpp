// Checks and order of the drill's membership changes (see membership_plan.hpp).
#include "runtime/tools/drill/membership_plan.hpp"

#include <algorithm>

namespace rtfeat {

namespace {

bool joins_before_leave(const drill_options& o) {
  return o.join_at && (!o.leave_at || *o.join_at <= *o.leave_at);
}

std::string seed_ids(uint32_t nodes) { return "n1..n" + std::to_string(nodes); }

/// Is `id` one of n1..nN? (Exactly that spelling: the drill names its nodes so.)
bool is_seed_node(const std::string& id, uint32_t nodes) {
  for (uint32_t i = 1; i <= nodes; ++i)
    if (id == "n" + std::to_string(i)) return true;
  return false;
}

std::string default_leaver(const drill_options& o) {
  if (joins_before_leave(o)) return joiner_id(o.nodes);
  for (uint32_t i = o.nodes; i >= 2; --i)
    if (auto id = "n" + std::to_string(i); id != o.lose) return id;
  return "";
}

std::string check_time(const char* flag, const std::optional<double>& s) {
  if (!s || *s > 0) return "";
  return std::string(flag) + ": expected seconds > 0, got " + std::to_string(*s);
}

/// A 64-bit mix of the seed (splitmix64's finaliser): the loss's delay, apart
/// from the kill plan's stream so that adding --lose leaves the kills as they were.
uint64_t mix(uint64_t z) {
  z += 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

std::string_view to_string(membership_change_kind k) {
  switch (k) {
    case membership_change_kind::join:
      return "join";
    case membership_change_kind::leave:
      return "leave";
    case membership_change_kind::replace:
      return "replace";
  }
  return "?";
}

bool has_membership_changes(const drill_options& o) {
  return o.join_at || o.leave_at || !o.lose.empty();
}

std::string joiner_id(uint32_t nodes) { return "n" + std::to_string(nodes + 1); }

std::string validate_membership_options(const drill_options& o) {
  for (auto problem : {check_time("--join-at", o.join_at), check_time("--leave-at", o.leave_at)})
    if (!problem.empty()) return problem;
  if (!o.leave.empty() && !o.leave_at) return "--leave " + o.leave + ": give --leave-at S too";
  if (!has_membership_changes(o)) return "";
  if (o.rescale_to)
    return "--rescale-to cannot be combined with --join-at, --leave-at or --lose: a rescale "
           "restarts the seed node list, which is no longer the membership";
  if (o.leave_at && o.nodes < 2)
    return "--leave-at: a 1-node cluster has no member to leave but its coordinator";
  // The joiner may leave too, once it has joined.
  const bool leaves_joiner = joins_before_leave(o) && o.leave == joiner_id(o.nodes);
  if (!o.leave.empty() && !is_seed_node(o.leave, o.nodes) && !leaves_joiner)
    return "--leave " + o.leave + ": not a node of the drill (" + seed_ids(o.nodes)
           + (o.join_at ? ", or " + joiner_id(o.nodes) + " once it joined" : "") + ")";
  if (!o.lose.empty() && !is_seed_node(o.lose, o.nodes))
    return "--lose " + o.lose + ": not a node of the drill (" + seed_ids(o.nodes) + ")";
  if (o.leave_at && !o.lose.empty() && o.leave == o.lose)
    return "--lose " + o.lose + ": it is the node that --leave takes out";
  if (o.leave_at && !joins_before_leave(o) && o.nodes == 2 && o.lose == "n2")
    return "--leave-at: with n2 lost, a 2-node cluster has no member to leave but its coordinator";
  if (o.lose.empty()) return "";
  // The loss comes last: the members then are the seeds, plus the joiner, minus the leaver.
  const uint32_t members = o.nodes + (o.join_at ? 1 : 0) - (o.leave_at ? 1 : 0);
  if (members < 3)
    return "--lose " + o.lose + ": the cluster has " + std::to_string(members)
           + " members at the loss, and " + std::to_string(members - 1) + " of "
           + std::to_string(members)
           + " is no majority to replace it: give --nodes 3 or more (or --join-at)";
  return "";
}

std::vector<planned_membership_change> plan_membership(const drill_options& o) {
  std::vector<planned_membership_change> out;
  if (o.join_at) out.push_back({membership_change_kind::join, joiner_id(o.nodes), *o.join_at, 0});
  if (o.leave_at) {
    planned_membership_change leave{membership_change_kind::leave, o.leave, *o.leave_at, 0};
    if (leave.node.empty()) leave.node = default_leaver(o);
    // A leave at the same second as the join waits for it: the joiner may be the leaver.
    out.insert(joins_before_leave(o) ? out.end() : out.begin(), leave);
  }
  if (!o.lose.empty()) {
    auto delay =
      static_cast<int64_t>(mix(o.seed ^ 0x6C6F7365ULL) % static_cast<uint64_t>(o.checkpoint_ms));
    out.push_back({membership_change_kind::replace, o.lose, 0, delay});
  }
  return out;
}

}  // namespace rtfeat

// Replacing members lost for good (see member_replacement.hpp).
#include "runtime/cluster/member_replacement.hpp"

#include <algorithm>

namespace rtfeat {

namespace {

std::string silent_ids(const membership& m, const std::vector<bool>& reached) {
  std::string out;
  for (size_t i = 0; i < m.members.size(); ++i)
    if (i >= reached.size() || !reached[i]) out += (out.empty() ? "" : ", ") + m.members[i].id;
  return out;
}

}  // namespace

replacement_decision decide_replacement(const membership& current, const survivor_view& v,
                                        uint64_t checkpoint_id, int64_t now_ms) {
  replacement_decision d;
  const size_t n = current.members.size();
  const auto silent = silent_ids(current, v.reached);
  const auto reached = static_cast<size_t>(std::count(v.reached.begin(), v.reached.end(), true));
  const auto seconds = std::to_string(v.silent_ms / 1000);
  if (reached >= n) {
    d.why = "every member said hello";
    return d;
  }
  if (reached * 2 <= n) {
    d.step = replacement_step::wait_minority;
    d.why = "this node reaches " + std::to_string(reached) + " of " + std::to_string(n)
            + " members, no majority: it waits (silent: " + silent + ")";
    return d;
  }
  if (v.replace_after_ms <= 0 || v.silent_ms < v.replace_after_ms) {
    d.why = silent + " silent for " + seconds + " s"
            + (v.replace_after_ms <= 0 ? " (cluster.replace_after_ms = 0: never replaced)"
                                       : ", replaced after cluster.replace_after_ms = "
                                           + std::to_string(v.replace_after_ms) + " ms");
    return d;
  }
  const auto lowest =
    static_cast<size_t>(std::find(v.reached.begin(), v.reached.end(), true) - v.reached.begin());
  if (lowest != v.me) {
    d.step = replacement_step::wait_decider;
    d.why = "member " + current.members[lowest].id + " replaces " + silent;
    return d;
  }
  membership next;
  next.epoch = current.epoch + 1;
  next.checkpoint_id = checkpoint_id;
  next.created_ms = now_ms;
  next.change = "replace " + silent + " (silent for " + seconds + " s)";
  for (size_t i = 0; i < n; ++i)
    if (i < v.reached.size() && v.reached[i]) next.members.push_back(current.members[i]);
  d.step = replacement_step::commit;
  d.why = next.change + ": members " + next.ids();
  d.next_epoch = std::move(next);
  return d;
}

}  // namespace rtfeat

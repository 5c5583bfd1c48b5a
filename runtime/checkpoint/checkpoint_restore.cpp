// Choosing the checkpoint to restore: newest first, every snapshot verified, one
// log line per checkpoint skipped. "No complete checkpoint" (first start) and
// "complete checkpoints exist but none verifies" are kept apart on purpose: the
// second must never be mistaken for a first start and silently replay from zero.
#include <algorithm>

#include "runtime/checkpoint/checkpoint_store.hpp"

namespace rtfeat {

namespace {

struct candidate {
  uint64_t id = 0;
  const checkpoint_manifest* manifest = nullptr;  // null: unreadable or partial
  std::string problem;
  bool has_manifest = false;
};

std::vector<candidate> candidates_of(const checkpoint_listing& all) {
  std::vector<candidate> out;
  for (const auto& m : all.complete) out.push_back({m.id, &m, {}, true});
  for (const auto& [id, why] : all.unreadable) out.push_back({id, nullptr, why, true});
  for (const auto& p : all.partial)
    out.push_back({p.id, nullptr, "incomplete (no MANIFEST)", false});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
  return out;
}

std::string first_problem(const std::vector<std::string>& problems) {
  std::string s = problems.front();
  if (problems.size() > 1) s += " (and " + std::to_string(problems.size() - 1) + " more bad files)";
  return s;
}

}  // namespace

result<std::optional<checkpoint_manifest>> checkpoint_store::find_restorable(
  std::optional<uint64_t> id, std::vector<std::string>& log, body_keeper* keep) const {
  if (keep) keep->bodies.clear();
  checkpoint_listing all;
  if (auto listed = list(all); !listed) return listed;
  auto cands = candidates_of(all);
  if (id) {
    std::erase_if(cands, [&](const candidate& c) { return c.id > *id; });
    if (cands.empty() || cands.front().id != *id)
      return status::bad_input("checkpoint " + std::to_string(*id) + " does not exist in " + dir_);
  }
  bool any_manifest = false;
  for (size_t i = 0; i < cands.size(); ++i) {
    auto& c = cands[i];
    any_manifest = any_manifest || c.has_manifest;
    if (c.manifest) {
      std::vector<std::string> problems;
      if (verify(*c.manifest, problems, keep)) return std::optional<checkpoint_manifest>(*c.manifest);
      c.problem = first_problem(problems);
    }
    log.push_back("checkpoint " + std::to_string(c.id) + ": " + c.problem + "; "
                  + (i + 1 < cands.size()
                       ? "falling back to checkpoint " + std::to_string(cands[i + 1].id)
                       : std::string("no older checkpoint")));
  }
  if (any_manifest)
    return status::fatal("no restorable checkpoint in " + dir_
                         + ": every complete checkpoint failed verification (see the lines above)");
  return std::optional<checkpoint_manifest>{};
}

}  // namespace rtfeat

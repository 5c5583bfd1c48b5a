// Restore preparation for `rtfeat node` (see node_restore.hpp).
#include "actors/node/node_restore.hpp"

#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>

#include "runtime/checkpoint/shard_state_codec.hpp"

namespace rtfeat::node {

namespace {

bool parse_which(const std::string& which, std::optional<uint64_t>& id, std::string& error) {
  if (which == "latest") return true;
  try {
    size_t used = 0;
    id = std::stoull(which, &used);
    if (used == which.size()) return true;
  } catch (const std::exception&) {
  }
  error = "--restore: expected 'latest' or a checkpoint id, got '" + which + "'";
  return false;
}

/// A progress line about once a second while find_restorable verifies and reads
/// the checkpoint, since a large state takes a while (SPEC §7).
std::function<void(uint64_t, uint64_t)> read_progress() {
  using clock = std::chrono::steady_clock;
  auto started = clock::now(), shown = started;
  return [started, shown](uint64_t done, uint64_t total) mutable {
    auto now = clock::now();
    if (now - shown < std::chrono::seconds(1)) return;
    shown = now;
    double secs = std::chrono::duration<double>(now - started).count();
    double mb = static_cast<double>(done) / 1e6, total_mb = static_cast<double>(total) / 1e6;
    std::fprintf(stderr, "node: restore: read %.0f of %.0f MB (%.0f %%) at %.0f MB/s\n", mb, total_mb,
                 total_mb > 0 ? 100.0 * mb / total_mb : 100.0, mb / secs);
  };
}

/// The partitions' positions the readers resume from.
void take_positions(restore_plan& out) {
  for (const auto& p : out.manifest->positions) {
    out.offsets[p.partition] = p.next_offset;
    if (p.watermark) out.watermarks[p.partition] = *p.watermark;
    if (p.future_suspect) out.future_suspects[p.partition] = *p.future_suspect;
  }
}

}  // namespace

bool prepare_restore(const job_config& cfg, const feature_catalogue& catalogue, const std::string& which,
                     bool allow_catalogue_change, restore_plan& out, std::string& error,
                     std::optional<key_group_range> own) {
  if (cfg.checkpoint_interval_ms == 0 && which.empty()) return true;
  auto opened = checkpoint_store::open(cfg.checkpoint_dir, open_mode::create);
  if (!opened) return error = opened.error().message(), false;
  out.store = std::move(*opened);
  if (which.empty()) return true;
  std::optional<uint64_t> id;
  if (!parse_which(which, id, error)) return false;
  auto started = std::chrono::steady_clock::now();
  const auto groups = static_cast<uint32_t>(cfg.max_parallelism);
  // The bodies come with the verification: each file is read once.
  checkpoint_store::body_keeper keep;
  keep.wanted = [&](uint32_t file_key_group) {
    return !own || (file_key_group % groups >= own->first && file_key_group % groups < own->second);
  };
  keep.progress = read_progress();
  std::vector<std::string> log;
  auto found = out.store->find_restorable(id, log, &keep);
  for (const auto& line : log) std::cerr << "rtfeat: restore: " << line << "\n";
  if (!found) return error = found.error().message(), false;
  out.manifest = std::move(*found);
  if (!out.manifest) {
    std::cerr << "node: no complete checkpoint in " << cfg.checkpoint_dir
              << ": starting from the beginning of every partition\n";
    return true;
  }
  if (out.manifest->catalogue_hash != catalogue.hash) {
    if (!allow_catalogue_change) {
      error = "checkpoint " + std::to_string(out.manifest->id)
              + " was taken with a different feature catalogue; pass --allow-catalogue-change to restore"
                " it anyway (new features start empty, removed ones are dropped)";
      return false;
    }
    std::cerr << "node: catalogue changed since checkpoint " << out.manifest->id
              << ": new features start empty, removed ones are dropped (named below)\n";
  }
  if (out.manifest->positions.size() != static_cast<size_t>(cfg.source_partitions)) {
    error = "checkpoint " + std::to_string(out.manifest->id) + " has " + std::to_string(out.manifest->positions.size())
            + " partitions, source.partitions is " + std::to_string(cfg.source_partitions);
    return false;
  }
  // Key groups are hash(key) mod max_parallelism: another count would load every
  // entity into the wrong key group (SPEC §5; rescale keeps it, docs/cluster.md).
  auto mp = out.manifest->meta.find("engine.max_parallelism");
  if (mp != out.manifest->meta.end() && mp->second != std::to_string(cfg.max_parallelism)) {
    error = "checkpoint " + std::to_string(out.manifest->id) + " was taken with engine.max_parallelism "
            + mp->second + ", this node has " + std::to_string(cfg.max_parallelism)
            + ": keep the checkpoint's value (key groups cannot be re-split)";
    return false;
  }
  out.bodies = std::make_shared<restored_bodies>(std::move(keep.bodies));
  take_positions(out);
  for (const auto& [kg, body] : *out.bodies) {
    std::string why;
    if (check_shard_body_format(body, why)) continue;
    error = "checkpoint " + std::to_string(out.manifest->id);
    error.append(", key group ").append(std::to_string(kg)).append(": ").append(why);
    return false;
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  uint64_t bytes = 0;
  for (const auto& [kg, body] : *out.bodies) bytes += body.size();
  std::cerr << "node: restoring checkpoint " << out.manifest->id << " (" << out.bodies->size() << " of "
            << out.manifest->snapshots.size() << " key groups, " << bytes << " of " << out.manifest->snapshot_bytes()
            << " bytes, verified and read in " << ms.count() << " ms)\n";
  return true;
}

void ignore_older(restore_plan& restored, uint64_t floor_id) {
  if (!restored.manifest || restored.manifest->id > floor_id) return;
  std::cerr << "node: checkpoint " << restored.manifest->id << " is older than this job: starting from the beginning\n";
  restored.manifest.reset();
  restored.offsets.clear();
  restored.watermarks.clear();
  restored.future_suspects.clear();
  restored.bodies.reset();
}

uint64_t checkpoints_before(const job_config& cfg) {
  auto store = checkpoint_store::open(cfg.checkpoint_dir, open_mode::create);
  if (!store) return 0;
  auto next = (*store)->next_id();
  return next ? *next - 1 : 0;
}

}  // namespace rtfeat::node

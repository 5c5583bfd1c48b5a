// `rtfeat node --restore latest|ID`: picks the checkpoint (falling back past
// corrupt ones), checks the catalogue, and loads offsets, watermarks and the
// snapshot bodies the shards restore from.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "actors/keyed_shard.hpp"
#include "config/feature_catalogue.hpp"
#include "config/job_config.hpp"
#include "runtime/checkpoint/checkpoint_store.hpp"

namespace rtfeat::node {

struct restore_plan {
  std::shared_ptr<checkpoint_store> store;  // null when checkpoints are off and nothing is restored
  std::optional<checkpoint_manifest> manifest;
  std::map<int32_t, int64_t> offsets;     // partition -> next offset
  std::map<int32_t, int64_t> watermarks;  // partition -> W_p (absent: none)
  std::map<int32_t, int64_t> future_suspects;  // partition -> future-skew suspect ts (absent: none)
  std::shared_ptr<restored_bodies> bodies;
};

/// Key groups [first, last) of engine.max_parallelism, user and category files alike.
using key_group_range = std::pair<uint32_t, uint32_t>;

/// `which` is "" (no restore), "latest" or a checkpoint id. Prints what it decides.
/// Blocks: reads (and checksums) every snapshot of the chosen checkpoint, or only
/// those of `own` (a cluster node's share: the others are its peers' to read).
bool prepare_restore(const job_config& cfg, const feature_catalogue& catalogue, const std::string& which,
                     bool allow_catalogue_change, restore_plan& out, std::string& error,
                     std::optional<key_group_range> own = std::nullopt);

/// A rollback must not restore a checkpoint of an older job in the same directory:
/// one with id <= `floor_id` counts as none (start from the beginning). Prints so.
void ignore_older(restore_plan& restored, uint64_t floor_id);

/// The newest checkpoint id in cfg.checkpoint_dir before this job wrote any (0 = none),
/// creating the directory. Blocks: one directory scan.
uint64_t checkpoints_before(const job_config& cfg);

}  // namespace rtfeat::node

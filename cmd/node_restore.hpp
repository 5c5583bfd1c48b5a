// `rtfeat node --restore latest|ID`: picks the checkpoint (falling back past
// corrupt ones), checks the catalogue, and loads offsets, watermarks and the
// snapshot bodies the shards restore from.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "actors/keyed_shard.hpp"
#include "config/feature_catalogue.hpp"
#include "config/job_config.hpp"
#include "runtime/checkpoint/checkpoint_store.hpp"

namespace rtfeat::cmd {

struct restore_plan {
  std::shared_ptr<checkpoint_store> store;  // null when checkpoints are off and nothing is restored
  std::optional<checkpoint_manifest> manifest;
  std::map<int32_t, int64_t> offsets;     // partition -> next offset
  std::map<int32_t, int64_t> watermarks;  // partition -> W_p (absent: none)
  std::map<int32_t, int64_t> future_suspects;  // partition -> future-skew suspect ts (absent: none)
  std::shared_ptr<restored_bodies> bodies;
};

/// `which` is "" (no restore), "latest" or a checkpoint id. Prints what it decides.
bool prepare_restore(const job_config& cfg, const feature_catalogue& catalogue, const std::string& which,
                     bool allow_catalogue_change, restore_plan& out, std::string& error);

}  // namespace rtfeat::cmd

// Redis Cluster needs one entity's keys in one slot and the entities spread
// over all slots: every key template must carry its entity's id as the hash
// tag, "user:feature:{${user_id}}". Checked when a job is pointed at a cluster.
#pragma once

#include <string>

#include "config/feature_catalogue.hpp"

namespace rtfeat {

/// False with "features.toml:12: feature 'x': ..." for the first key template
/// whose hash tag is missing, literal, or not the entity's id variable.
bool check_cluster_hash_tags(const feature_catalogue& catalogue, std::string& error);

}  // namespace rtfeat

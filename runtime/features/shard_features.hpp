// The feature state one keyed shard owns: user features for a user shard,
// percentile-rank features for a category shard. Plain C++ behind the actor.
#pragma once

#include <memory>
#include <vector>

#include "runtime/features/feature_plan.hpp"
#include "runtime/features/item_ranks.hpp"
#include "runtime/features/user_features.hpp"

namespace rtfeat {

enum class shard_kind : uint8_t { user, category };

class shard_features {
public:
  shard_features(const feature_plan& plan, shard_kind kind) {
    if (kind == shard_kind::user) users_ = std::make_unique<user_features>(plan);
    else
      for (size_t i = 0; i < plan.rank_rules.size(); ++i) ranks_.emplace_back(plan, i);
  }

  void add(const event& e, int64_t wm_at_read) {
    if (users_) users_->add(e, wm_at_read);
    for (auto& r : ranks_) r.add(e, wm_at_read);
  }
  void advance(int64_t watermark) {
    if (users_) users_->advance(watermark);
    for (auto& r : ranks_) r.advance(watermark);
  }
  void flush(std::vector<key_update>& out) {
    if (users_) users_->flush(out);
    for (auto& r : ranks_) r.flush(out);
  }

private:
  std::unique_ptr<user_features> users_;
  std::vector<item_ranks> ranks_;
};

}  // namespace rtfeat

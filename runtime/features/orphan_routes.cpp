// Orphan routes (see orphan_routes.hpp): key family, then key group, then shard.
#include "runtime/features/orphan_routes.hpp"

#include "runtime/murmur2.hpp"

namespace rtfeat {

orphan_routes::orphan_routes(const feature_plan& plan, uint32_t max_parallelism)
    : families_(plan),
      max_parallelism_(max_parallelism),
      user_shard_(max_parallelism, not_here),
      category_shard_(max_parallelism, not_here) {}

void orphan_routes::add_shard(bool user, const std::vector<uint32_t>& key_groups) {
  auto& by_group = user ? user_shard_ : category_shard_;
  for (auto g : key_groups)
    if (g < by_group.size()) by_group[g] = static_cast<int32_t>(shards_);
  ++shards_;
}

std::optional<orphan_route> orphan_routes::route(std::string_view key) const {
  auto owner = families_.owner_of(key);
  if (!owner) return std::nullopt;
  const auto& by_group = owner->scope == feature_scope::user ? user_shard_ : category_shard_;
  auto shard = by_group[key_group_of(owner->routing_key, max_parallelism_)];
  if (shard == not_here) return std::nullopt;
  return orphan_route{static_cast<size_t>(shard), owner->type};
}

}  // namespace rtfeat

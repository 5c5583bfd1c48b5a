// The Redis key families of a feature plan (one per key template) and, for a
// key of one, the entity whose state writes it. A resync's orphan sweep
// (docs/exactly-once.md) may delete only keys whose owner this tells for sure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/key_template.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/key_update.hpp"

namespace rtfeat {

/// A key of a family with a single owner: the scope and routing key of the
/// entity whose shard writes it, and the Redis type every writer gives it.
struct owned_key {
  feature_scope scope = feature_scope::user;
  std::string routing_key{};  // what scope_key() gives for the entity (its key group)
  redis_type type = redis_type::hash;
};

class key_families {
public:
  /// REQUIRES: `plan` came from a validated catalogue.
  explicit key_families(const feature_plan& plan);

  /// The owner of `key`, or nullopt when the key is not one of the plan's, is
  /// engine bookkeeping (`__rtfeat__:*`), could be of two families or split two
  /// ways, or its family is written from more than one scope (user:feature:{u}
  /// gets amount_tier from the `all` shard) or does not name its owner's entity
  /// (item_ranks writes item keys from category shards): then no one shard
  /// can tell it is unheld, and it is left alone.
  std::optional<owned_key> owner_of(std::string_view key) const;

  /// Families whose keys owner_of() can place, for logs and tests.
  size_t sweepable() const;

private:
  struct family {
    std::string text;  // the template as written in the catalogue
    key_template parts;
    std::vector<feature_scope> writers;  // scopes whose states write it, no duplicates
    redis_type type = redis_type::hash;
    bool one_type = true;  // every writer gives it the same Redis type
  };
  void add(const std::string& text, feature_scope writer, redis_type type);
  bool is_sweepable(const family& f) const;

  std::vector<family> families_;
};

}  // namespace rtfeat

// The render memo of one event loop: an entity's rendered JSON kept with the
// near-cache replies it was rendered from, so that a request whose replies are
// all cache hits copies the text instead of typing every value again (the
// rendering was a quarter of serve's CPU at 500 connections with the cache on).
//
// Why it is never staler than the near cache: an entry is used only when every
// reply the request would render from is the very object the entry was rendered
// from (pointer identity). The entry holds those replies, so none of their
// addresses can be reused while it exists; a write to a key drops the key's reply
// from the near cache, the next read stores a new object, and the entry no
// longer matches. What depends on the clock (the freshness age) is not kept.
// Runs in: the loop's thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/flat_map.hpp"
#include "serve/cache/near_cache.hpp"
#include "serve/catalogue/entity_read.hpp"

namespace rtfeat::serve {

struct rendered_entity {
  std::vector<shared_reply> from;  // per key of the entity: the reply rendered, null when not read
  std::string body;                // render_entity_body's text
  render_stats stats;
  std::vector<uint8_t> present;
};

class render_memo {
public:
  explicit render_memo(size_t max_entries) : max_entries_(max_entries) {}

  /// The memo key of entity `id` of type `type` for the features `wanted`.
  static void key_of(uint8_t type, const feature_mask& wanted, std::string_view id, std::string& out);

  /// The entry rendered from exactly `keys`' replies, or nullptr.
  const rendered_entity* find(std::string_view key, const std::vector<key_reply>& keys) const;
  /// Keeps `r` (replacing the key's entry); when full, an arbitrary entry makes room.
  void store(std::string_view key, rendered_entity r);
  void clear() { entries_.clear(); }

  size_t size() const { return entries_.size(); }

private:
  size_t max_entries_;
  string_map<rendered_entity> entries_;
};

}  // namespace rtfeat::serve

// CLUSTER SLOTS reply: an array of ranges, each [first, last, master, replica...]
// with a node as [endpoint, port, id, metadata...] (id since Redis 4, metadata
// since 7; only endpoint and port are used). Parsing stops at the first problem
// and says where it is.
#include "runtime/redis/cluster/slot_map.hpp"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <limits>
#include <optional>

#include "runtime/redis/cluster/key_slot.hpp"

namespace rtfeat {

namespace {

constexpr uint16_t no_owner = std::numeric_limits<uint16_t>::max();

slot_map_error malformed(std::string detail) {
  return {slot_map_error_kind::malformed, "CLUSTER SLOTS: " + std::move(detail)};
}

std::optional<node_address> parse_node(const redisReply* r, std::string_view connected_host) {
  if (r->type != REDIS_REPLY_ARRAY || r->elements < 2) return std::nullopt;
  const redisReply* endpoint = r->element[0];
  const redisReply* port = r->element[1];
  if (port->type != REDIS_REPLY_INTEGER || port->integer <= 0 || port->integer > 65535) return std::nullopt;
  node_address out{.host = "", .port = static_cast<int>(port->integer)};
  if (endpoint->type == REDIS_REPLY_STRING) {
    out.host.assign(endpoint->str, endpoint->len);
  } else if (endpoint->type != REDIS_REPLY_NIL) {
    return std::nullopt;
  }
  // "?" is a node configured for hostnames that has none: no host to use.
  if (out.host == "?") return std::nullopt;
  if (out.host.empty()) out.host = connected_host;
  return out;
}

bool is_slot(const redisReply* r) {
  return r->type == REDIS_REPLY_INTEGER && r->integer >= 0 && r->integer < cluster_slot_count;
}

}  // namespace

std::variant<slot_map, slot_map_error> slot_map::from_cluster_slots(const redisReply* reply,
                                                                     std::string_view connected_host) {
  if (reply->type == REDIS_REPLY_ERROR) return malformed(std::string(reply->str, reply->len));
  if (reply->type != REDIS_REPLY_ARRAY) return malformed("the reply is not an array");
  std::vector<slot_range> ranges;
  for (size_t i = 0; i < reply->elements; ++i) {
    const redisReply* r = reply->element[i];
    const auto where = "range " + std::to_string(i) + ": ";
    if (r->type != REDIS_REPLY_ARRAY || r->elements < 3) return malformed(where + "not [first, last, master, ...]");
    if (!is_slot(r->element[0]) || !is_slot(r->element[1]) || r->element[0]->integer > r->element[1]->integer) {
      return malformed(where + "bad slot numbers");
    }
    slot_range range{.first = static_cast<uint16_t>(r->element[0]->integer),
                     .last = static_cast<uint16_t>(r->element[1]->integer), .master = {}, .replicas = {}};
    for (size_t n = 2; n < r->elements; ++n) {
      auto node = parse_node(r->element[n], connected_host);
      if (!node) return malformed(where + "node " + std::to_string(n - 2) + " is not [endpoint, port, ...]");
      if (n == 2) {
        range.master = std::move(*node);
      } else {
        range.replicas.push_back(std::move(*node));
      }
    }
    ranges.push_back(std::move(range));
  }
  return from_ranges(ranges);
}

std::variant<slot_map, slot_map_error> slot_map::from_ranges(const std::vector<slot_range>& ranges) {
  slot_map map;
  map.owner_.assign(cluster_slot_count, no_owner);
  for (const auto& range : ranges) {
    const auto index = map.index_of(range.master);
    for (const auto& replica : range.replicas) {
      auto& known = map.shards_[index].replicas;
      if (std::find(known.begin(), known.end(), replica) == known.end()) known.push_back(replica);
    }
    for (uint32_t slot = range.first; slot <= range.last; ++slot) {
      if (map.owner_[slot] != no_owner) return malformed("slot " + std::to_string(slot) + " is in two ranges");
      map.owner_[slot] = index;
    }
  }
  // Report the first run of slots without a master, so an operator can find the shard.
  const auto hole = std::find(map.owner_.begin(), map.owner_.end(), no_owner);
  if (hole != map.owner_.end()) {
    const auto first = hole - map.owner_.begin();
    const auto end = std::find_if(hole, map.owner_.end(), [](uint16_t o) { return o != no_owner; });
    return slot_map_error{slot_map_error_kind::incomplete,
                          "CLUSTER SLOTS: slots " + std::to_string(first) + "-"
                            + std::to_string(end - map.owner_.begin() - 1) + " have no master"};
  }
  return map;
}

const std::vector<node_address>& slot_map::replicas_of(const node_address& master) const {
  static const std::vector<node_address> none;
  for (const auto& s : shards_) {
    if (s.master == master) return s.replicas;
  }
  return none;
}

void slot_map::set_master(uint16_t slot, const node_address& master) { owner_[slot] = index_of(master); }

std::vector<node_address> slot_map::masters() const {
  std::vector<node_address> out;
  std::vector<bool> listed(shards_.size(), false);
  for (auto index : owner_) {
    if (!listed[index]) listed[index] = true, out.push_back(shards_[index].master);
  }
  return out;
}

std::vector<uint16_t> slot_map::first_slots() const {
  std::vector<uint16_t> out;
  std::vector<bool> listed(shards_.size(), false);
  for (size_t slot = 0; slot < owner_.size(); ++slot) {
    auto index = owner_[slot];
    if (!listed[index]) listed[index] = true, out.push_back(static_cast<uint16_t>(slot));
  }
  return out;
}

std::optional<uint16_t> slot_map::last_slot_of(const node_address& master) const {
  for (size_t slot = owner_.size(); slot-- > 0;) {
    if (shards_[owner_[slot]].master == master) return static_cast<uint16_t>(slot);
  }
  return std::nullopt;
}

uint16_t slot_map::index_of(const node_address& master) {
  for (size_t i = 0; i < shards_.size(); ++i) {
    if (shards_[i].master == master) return static_cast<uint16_t>(i);
  }
  shards_.push_back({.master = master, .replicas = {}});
  return static_cast<uint16_t>(shards_.size() - 1);
}

}  // namespace rtfeat

// A snapshot_sink for tests that keeps what save() leaves, as the snapshot
// writer does: each entity's latest encoding by routing key and identity (a
// later put replaces an earlier one, an erase removes it).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "runtime/features/snapshot_sink.hpp"
#include "runtime/murmur2.hpp"

namespace rtfeat::test {

class entity_sink final : public snapshot_sink {
public:
  using key = std::pair<std::string, std::string>;  // routing key, identity

  void put(std::string_view routing_key, std::string_view identity, encoder encode) override {
    state_writer w;
    encode(w);
    entities[{std::string(routing_key), std::string(identity)}] = std::string(w.bytes());
    ++puts;
  }
  void erase(std::string_view routing_key, std::string_view identity) override {
    entities.erase({std::string(routing_key), std::string(identity)});
    ++erases;
  }

  /// What load() reads for each key group: its entities' encodings back to back.
  std::map<uint32_t, std::string> by_key_group(uint32_t max_parallelism = 128) const {
    std::map<uint32_t, std::string> out;
    for (const auto& [k, bytes] : entities) out[key_group_of(k.first, max_parallelism)] += bytes;
    return out;
  }

  std::map<key, std::string> entities;
  size_t puts = 0, erases = 0;
};

}  // namespace rtfeat::test

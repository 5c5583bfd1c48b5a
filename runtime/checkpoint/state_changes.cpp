// Saving a shard's changes (see state_changes.hpp).
#include "runtime/checkpoint/state_changes.hpp"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "runtime/features/snapshot_sink.hpp"
#include "runtime/murmur2.hpp"

namespace rtfeat {

namespace {

/// Appends each entity to one state_changes: identity and encoding back to
/// back in one buffer (no allocation per entity).
class changes_sink final : public snapshot_sink {
public:
  changes_sink(state_changes& out, const std::vector<bool>& owned, uint32_t max_parallelism, uint32_t file_offset)
    : out_(out), owned_(owned), max_parallelism_(max_parallelism), file_offset_(file_offset),
      w_(std::move(out.bytes)) {}
  changes_sink(const changes_sink&) = delete;
  changes_sink& operator=(const changes_sink&) = delete;
  ~changes_sink() override { out_.bytes = w_.take(); }

  void put(std::string_view routing_key, std::string_view identity, encoder encode) override {
    auto& c = add(routing_key, identity);
    encode(w_);
    c.size = static_cast<uint32_t>(w_.bytes().size() - c.offset - c.identity_size);
    if (c.size == 0) fail("a feature state saved an entity as no bytes");
  }
  void erase(std::string_view routing_key, std::string_view identity) override { add(routing_key, identity); }

private:
  entity_change& add(std::string_view routing_key, std::string_view identity) {
    auto kg = key_group_of(routing_key, max_parallelism_);
    if (!owned_[kg]) fail("a shard holds state of a key group it does not own");
    auto& c = out_.entities.emplace_back();
    c.offset = w_.bytes().size();
    c.identity_size = static_cast<uint32_t>(identity.size());
    c.key_group = kg + file_offset_;
    w_.raw(identity);
    return c;
  }
  [[noreturn]] static void fail(const char* what) {  // a broken invariant: a bug, not an error to handle
    std::fprintf(stderr, "rtfeat: bug: %s\n", what);
    std::abort();
  }

  state_changes& out_;
  const std::vector<bool>& owned_;
  uint32_t max_parallelism_;
  uint32_t file_offset_;
  state_writer w_;
};

}  // namespace

size_t shard_changes::bytes() const {
  size_t n = 0;
  for (const auto& s : states) n += s.bytes.size();
  return n;
}

void save_shard_changes(const std::vector<named_state>& states, const std::vector<uint32_t>& key_groups,
                        uint32_t max_parallelism, uint32_t file_offset, shard_changes& into) {
  if (into.states.empty()) {
    for (auto kg : key_groups) into.key_groups.push_back(kg + file_offset);
    for (const auto& s : states) into.states.emplace_back().name = s.name;
  }
  std::vector<bool> owned(max_parallelism, false);
  for (auto kg : key_groups) owned[kg] = true;
  for (size_t i = 0; i < states.size(); ++i) {
    changes_sink sink(into.states[i], owned, max_parallelism, file_offset);
    states[i].state->save(sink);
  }
}

}  // namespace rtfeat

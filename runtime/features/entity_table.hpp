// The per-entity bookkeeping every feature state shares: the states by
// interned entity id (dense rows, found by an array index), the list of
// entities changed since the last flush, those changed since the last save
// (save_tracker.hpp) and the rewrite-all path. A feature file then holds only
// its aggregation.
// Rows move when the table grows or an entity is erased: never keep a
// reference to one across try_emplace() or erase().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/codec/state_codec.hpp"
#include "runtime/features/entity_interner.hpp"
#include "runtime/features/save_tracker.hpp"
#include "runtime/features/snapshot_sink.hpp"

namespace rtfeat {

/// An entity's routing key (it picks the key group the entity is saved in):
/// its key, unless the table is given another Routing.
struct key_is_routing {
  template <class State>
  std::string_view operator()(const std::string& key, const State&) const {
    return key;
  }
};

template <class State, class Routing = key_is_routing>
class entity_table {
public:
  using saves = save_tracker<entity_id>;
  struct row {
    entity_id id = no_entity;
    bool dirty = false;  // in dirty_ (flush visits it)
    saves::flags saved;
    State state;
  };

  explicit entity_table(entity_interner& ids) : ids_(&ids) {}

  entity_interner& ids() const { return *ids_; }
  const std::string& key(const row& r) const { return ids_->key(r.id); }
  size_t size() const { return rows_.size(); }
  std::vector<row>& rows() { return rows_; }
  const std::vector<row>& rows() const { return rows_; }

  row* find(entity_id id) {
    if (id >= where_.size() || where_[id] == 0) return nullptr;
    return &rows_[where_[id] - 1];
  }

  /// Room for `n` more rows, and for as many ids in the interner (shared by the
  /// scope's states: each asks for its own count, the largest wins).
  void reserve(size_t n) {
    rows_.reserve(rows_.size() + n);
    ids_->reserve(ids_->size() + n);
  }

  /// The row of `id`, a default one (and a reference on the id) when new.
  std::pair<row*, bool> try_emplace(entity_id id) {
    if (auto* r = find(id)) return {r, false};
    if (id >= where_.size()) where_.resize(static_cast<size_t>(id) + 1 + id / 2, 0);
    rows_.emplace_back().id = id;
    where_[id] = static_cast<uint32_t>(rows_.size());
    ids_->acquire(id);
    saves_.changed(id, rows_.back().saved);
    return {&rows_.back(), true};
  }

  /// Drops the row of `id` (the last row takes its place) and its reference.
  void erase(entity_id id) {
    auto pos = where_[id] - 1;
    const auto& k = ids_->key(id);
    saves_.erased(rows_[pos].saved, Routing{}(k, rows_[pos].state), k);
    if (pos + 1 != rows_.size()) {
      rows_[pos] = std::move(rows_.back());
      where_[rows_[pos].id] = pos + 1;
    }
    rows_.pop_back();
    where_[id] = 0;
    ids_->release(id);
  }

  /// `r` changed what save() writes: the next save() puts it.
  void changed(row& r) { saves_.changed(r.id, r.saved); }
  /// `r` changed what Redis must hold (and what save() writes): flush it.
  void mark(row& r) {
    changed(r);
    mark_for_flush(r);
  }
  /// Flush `r` without touching its snapshot (a rewrite, nothing saved changed).
  void mark_for_flush(row& r) {
    if (!r.dirty) r.dirty = true, dirty_.push_back(r.id);
  }

  /// Calls write(row&) for each entity marked since the last flush, once;
  /// write returns false to erase the entity afterwards.
  template <class Write>
  void flush(Write&& write) {
    for (auto id : dirty_) {
      auto* r = find(id);
      if (r == nullptr || !r->dirty) continue;
      r->dirty = false;
      if (!write(*r)) erase(id);
    }
    dirty_.clear();
  }

  /// Snapshot (feature_state::save): puts each entity changed since the last
  /// save, erases those gone; encode(state_writer&, key, state) writes one.
  template <class Encode>
  void save(snapshot_sink& out, Encode&& encode) {
    auto put = [&](entity_id id) {
      const auto& r = *find(id);
      const auto& k = key(r);
      out.put(Routing{}(k, r.state), k, [&](state_writer& w) { encode(w, k, r.state); });
    };
    auto for_each = [&](auto&& fn) {
      for (auto& r : rows_) fn(r.id, r.saved);
    };
    auto flags_of = [&](entity_id id) {
      auto* r = find(id);
      return r != nullptr ? &r->saved : nullptr;
    };
    auto prefetch = [&](entity_id id, int stage) {
      if (id >= where_.size()) return;
      if (stage == 0) return __builtin_prefetch(&where_[id]);
      if (where_[id] == 0) return;
      const auto& r = rows_[where_[id] - 1];
      __builtin_prefetch(&r);
      __builtin_prefetch(&r.state);
      __builtin_prefetch(&key(r));
    };
    saves_.save(out, for_each, flags_of, put, prefetch);
  }

  /// After a restore: reset(State&) each entity (what Redis was sent, not what
  /// save() writes) and mark it for the next flush.
  template <class Reset>
  void rewrite_all(Reset&& reset) {
    dirty_.reserve(dirty_.size() + rows_.size());  // one growth, not ~20 copies of millions of ids
    for (auto& r : rows_) {
      reset(r.state);
      mark_for_flush(r);
    }
  }

private:
  entity_interner* ids_;
  std::vector<uint32_t> where_;  // by id: position in rows_ + 1, 0 = no state
  std::vector<row> rows_;
  std::vector<entity_id> dirty_;
  saves saves_;
};

}  // namespace rtfeat

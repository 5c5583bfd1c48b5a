// The `_ts` field of the hashes of one key template (docs/semantics.md
// "Freshness"): per rendered hash key, the newest ts of an event kept by one of
// the template's owner features. It lives beside those features' states, in the
// shard that owns their entities, and is flushed with them, so the shard's
// updates of a key merge into one HSET. Windows do not apply: nothing leaves.
// Entries are never dropped, so memory grows with the hashes ever written (like
// the funnel's users). Dropping those older than W - TTL would keep the value
// right only while Redis keeps what was written: a restore could not rewrite
// them after Redis lost data, so it is left out.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/features/feature_plan.hpp"
#include "runtime/features/feature_state.hpp"
#include "runtime/flat_map.hpp"

namespace rtfeat {

class hash_freshness final : public feature_state {
public:
  /// REQUIRES: `plan` outlives the state; `f` is one of `plan.freshness`.
  hash_freshness(const feature_plan& plan, const compiled_freshness& f);
  void add(const event& e, int64_t wm_at_read, uint64_t seq) override;
  void advance(int64_t) override {}  // windows do not apply to `_ts`
  void flush(std::vector<key_update>& out) override;
  size_t entities() const override { return entries_.size(); }
  /// Entries are not kept encoded (no snapshot_cache): an entry encodes as two
  /// short strings and an integer, which costs what copying cached bytes costs,
  /// and a cache would double the state's memory.
  void save(const writer_for& out) const override;
  bool load(state_reader& in) override;
  void rewrite_all() override;

  /// The `_ts` of `hash_key`: the newest kept ts behind it, nullopt before any.
  std::optional<int64_t> newest(std::string_view hash_key) const;

private:
  /// What an event must carry for one owner to keep it (docs/semantics.md "kept").
  struct owner_test {
    const compiled_feature* feature = nullptr;  // its lateness: on_time_for
    uint32_t behaviors = 0;                    // its filter; every behaviour when it has none
    uint8_t needs = 0;                         // fields its templates, group_by, value and entity name
  };
  /// One hash: its key, the routing key of its entity (the key group it is
  /// saved in) and the newest ts.
  struct entry {
    std::string hash_key;
    std::string scope_key;
    int64_t ts = 0;
    bool dirty = false;
  };
  /// A literal, or the event field that replaces a ${var}.
  struct key_part {
    std::string literal;
    uint8_t field = 0;  // need_* bit of the variable, 0 for a literal (user_id: need_user)
  };

  bool is_kept(const event& e, int64_t wm_at_read) const;
  bool render_key(const event& e);
  void record(std::string_view hash_key, const std::string& scope_key, int64_t ts, bool mark);

  const compiled_freshness& f_;
  std::vector<owner_test> owners_;
  std::vector<key_part> parts_;
  std::deque<entry> entries_;                  // never erased: addresses stay, index_ views their keys
  flat_map<std::string_view, uint32_t> index_;  // hash key -> position in entries_
  std::vector<uint32_t> dirty_;                 // positions changed since the last flush
  std::string key_, scope_;                     // the current event's hash and routing keys (reused)
};

}  // namespace rtfeat

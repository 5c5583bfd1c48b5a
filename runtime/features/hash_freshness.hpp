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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/features/entity_table.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/features/feature_state.hpp"

namespace rtfeat {

class hash_freshness final : public feature_state {
public:
  /// REQUIRES: `plan` outlives the state; `f` is one of `plan.freshness`.
  hash_freshness(const feature_plan& plan, const compiled_freshness& f, entity_interner* ids = nullptr);
  void add_to(entity_id id, const event& e, int64_t wm_at_read, uint64_t seq) override;
  void advance(int64_t) override {}  // windows do not apply to `_ts`
  void flush(std::vector<key_update>& out) override;
  size_t entities() const override { return entries_.size(); }
  void save(snapshot_sink& out) override;
  bool load(state_reader& in) override;
  void reserve(size_t entities) override { entries_.reserve(entities); }
  void rewrite_all() override;

  /// The `_ts` of `hash_key`: the newest kept ts behind it, nullopt before any.
  /// Linear in the hashes: for tests.
  std::optional<int64_t> newest(std::string_view hash_key) const;

private:
  /// What an event must carry for one owner to keep it (docs/semantics.md "kept").
  struct owner_test {
    const compiled_feature* feature = nullptr;  // its lateness: on_time_for
    uint32_t behaviors = 0;                    // its filter; every behaviour when it has none
    uint8_t needs = 0;                         // fields its templates, group_by, value and entity name
  };
  /// One hash, found by its identity: the entity's routing key (which picks the
  /// key group it is saved in), then '\x1f' and the value of each key variable
  /// the routing key does not fix (none for the default catalogue). Without
  /// such variables the identity is the routing key and its id is the shard's;
  /// with them the state interns identities itself (identities_).
  struct entry {
    std::string hash_key;  // empty when derived_: rendered from the identity instead
    int64_t ts = 0;
    uint32_t scope_len = 0;  // the identity's first scope_len bytes are the routing key
  };
  /// A literal, or the event field that replaces a ${var}.
  struct key_part {
    std::string literal;
    uint8_t field = 0;  // need_* bit of the variable, 0 for a literal (user_id: need_user)
  };

  bool is_kept(const event& e, int64_t wm_at_read) const;
  bool identity_of(const event& e, uint32_t& scope_len);
  bool render_key(const event& e, std::string& out) const;
  std::string hash_key_of(const std::string& identity, const entry& en) const;

  const compiled_freshness& f_;
  std::vector<owner_test> owners_;
  std::vector<key_part> parts_;   // the hash key template
  std::vector<uint8_t> extras_;   // key variables the routing key does not fix (need_* bits)
  /// The key's only variable is the routing key itself (user_id, item_id,
  /// category_id: every default template), so the identity renders the key and
  /// entries neither hold nor save it.
  bool derived_ = false;
  /// An entry is saved in the key group of its identity's routing key.
  struct entry_routing {
    std::string_view operator()(const std::string& identity, const entry& en) const {
      return std::string_view(identity).substr(0, en.scope_len);
    }
  };
  using table = entity_table<entry, entry_routing>;

  entity_interner identities_;  // used when extras_ is not empty
  table entries_;                // by identity
  std::string id_;               // the current event's identity (reused)
};

}  // namespace rtfeat

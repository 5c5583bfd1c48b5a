// The k newest events of a user in a sliding window (SPEC §3 #2, #10): as a
// list of a field's values, newest first, or as a sorted set of members scored
// by their newest ts. Keeping only the k best entries (one per zset member) is
// exact: an entry pushed out has k better ones, which leave no earlier than it.
// Values (a category, or a member like "click:i9") are interned once per state:
// an entry is four integers, so keeping a timeline of 100 sorted moves no
// strings and finding a member compares ids.
#pragma once

#include <string>
#include <vector>

#include "runtime/features/entity_table.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/features/feature_state.hpp"
#include "runtime/features/front_erasable_vector.hpp"
#include "runtime/flat_map.hpp"
#include "runtime/window/bucket_index.hpp"

namespace rtfeat {

class last_k final : public feature_state {
public:
  explicit last_k(const compiled_feature& f, entity_interner* ids = nullptr)
    : feature_state(f.scope, ids), f_(f), zset_(f.def.output.type == "zset"), users_(this->ids()) {}
  void add_to(entity_id id, const event& e, int64_t wm_at_read, uint64_t seq) override;
  void advance(int64_t watermark) override;
  void flush(std::vector<key_update>& out) override;
  size_t entities() const override { return users_.size(); }
  void save(snapshot_sink& out) override;
  bool load(state_reader& in) override;
  void reserve(size_t entities) override { users_.reserve(entities); }
  void rewrite_all() override;

private:
  static constexpr int64_t not_written = no_watermark;
  struct entry {
    int64_t ts;
    uint64_t seq;
    int64_t written_ts = not_written;  // zset: the score Redis holds for the member
    entity_id value = no_entity;       // in values_ (a reference each): list: the field's value; zset: the member
  };
  struct user_state {
    front_erasable_vector<entry> entries;  // ascending (ts, seq), at most k; zset: one per member
    std::string key;
    std::vector<entity_id> removed;  // zset: written members that left since the last flush (a reference each)
    int64_t indexed_bucket = no_watermark;  // the index holds the user under this bucket
    bool replace = false;                   // zset: rewrite the whole set (after a restore)
  };
  using table = entity_table<user_state>;
  bool value_of(const event& e, std::string& out) const;
  bool keep_newest_member(user_state& u, entry& x);
  void insert(user_state& u, const entry& x);
  void drop_weakest(user_state& u);
  void forget(user_state& u, const entry& x);
  void reindex(entity_id id, user_state& u);
  void write_list(const user_state& u, std::vector<key_update>& out) const;
  void write_zset(user_state& u, std::vector<key_update>& out);

  const compiled_feature& f_;
  bool zset_;
  int64_t tail_ = no_watermark;
  entity_interner values_;  // declared before users_: rows never outlive the ids they hold
  table users_;
  basic_bucket_index<entity_id> index_;  // each user once, under the bucket of its oldest entry
  string_set written_this_run_;  // zset: users whose key this process has replaced once
  std::string scratch_;
};

}  // namespace rtfeat

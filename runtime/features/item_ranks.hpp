// State of one percentile-rank feature (SPEC §3 #4) in a category shard: per
// category, per item, exact per-slide click counts; on flush the exact rank
// of every item and the category's decile edges. Only values that changed
// since they were last written are sent, since one click re-ranks a category.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include "runtime/flat_map.hpp"
#include <utility>
#include <vector>

#include "runtime/event.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/features/feature_state.hpp"
#include "runtime/features/save_tracker.hpp"
#include "runtime/key_update.hpp"
#include "runtime/window/sliding_window.hpp"

namespace rtfeat {

class item_ranks final : public feature_state {
public:
  explicit item_ranks(const compiled_feature& f, entity_interner* ids = nullptr);

  /// Keyed by category / user inside its shard: the scope's id is not used.
  void add_to(entity_id id, const event& e, int64_t wm_at_read, uint64_t seq) override;
  void advance(int64_t watermark) override;
  void flush(std::vector<key_update>& out) override;
  size_t entities() const override { return categories_.size(); }
  void save(snapshot_sink& out) override;
  bool load(state_reader& in) override;
  void rewrite_all() override;

private:
  struct item_state {
    bucket_counts counts;
    uint64_t written_count = 0;
    std::string written_pct;
  };
  struct category_state {
    string_map<item_state> items;
    std::vector<uint64_t> written_deciles;  // empty = nothing written
    bool dirty = false;
    bool rewrite = false;  // after a restore: Redis may hold anything, write all
    save_tracker<int64_t>::flags saved;
  };

  void mark_dirty(int64_t category, category_state& st);
  void flush_items(int64_t category, category_state& st, const std::vector<uint64_t>& sorted,
                   std::vector<key_update>& out);
  void flush_deciles(int64_t category, category_state& st, const std::vector<uint64_t>& sorted,
                     std::vector<key_update>& out);

  const compiled_feature& f_;
  sliding_spec window_;
  int64_t tail_ = no_watermark;
  flat_map<int64_t, category_state> categories_;
  std::map<int64_t, std::vector<std::pair<int64_t, std::string>>> expiry_;
  std::vector<int64_t> dirty_;
  save_tracker<int64_t> saves_;  // categories
};

}  // namespace rtfeat

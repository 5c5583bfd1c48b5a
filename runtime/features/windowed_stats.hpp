// count / sum / avg / min / max / histogram of any entity over a sliding or
// tumbling window, optionally per group (one Redis field per group) and with a
// trend against the window before it (SPEC §3 #1, #5, #11; docs/semantics.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/features/entity_table.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/features/feature_state.hpp"
#include "runtime/wide_int.hpp"
#include "runtime/window/bucket_index.hpp"

namespace rtfeat {

class windowed_stats final : public feature_state {
public:
  explicit windowed_stats(const compiled_feature& f, entity_interner* ids = nullptr);
  void add_to(entity_id id, const event& e, int64_t wm_at_read, uint64_t seq) override;
  void advance(int64_t watermark) override;
  void flush(std::vector<key_update>& out) override;
  size_t entities() const override { return entities_.size(); }
  void save(snapshot_sink& out) override;
  bool load(state_reader& in) override;
  void reserve(size_t entities) override { entities_.reserve(entities); }
  void rewrite_all() override;

  /// Sums, min and max in 128 bits (runtime/wide_int.hpp): exact for every
  /// accepted amount and weight (docs/features.md "Ranges").
  struct stat_bucket {
    int64_t start = 0, count = 0;
    wide_int sum = 0, min = 0, max = 0;
  };
  struct field_state {
    std::string field;  // rendered Redis field ("" for a string output)
    std::vector<stat_bucket> buckets;  // ascending start
    bool dirty = false;
  };
  struct entity_state {
    std::vector<field_state> fields;
    std::string redis_key;
    int64_t indexed_bucket = no_watermark;  // newest bucket the entity is indexed under
  };

private:
  using table = entity_table<entity_state>;
  bool value_of(const event& e, wide_int& value) const;
  bool field_of(const event& e, std::string& field) const;

  std::optional<std::string> value_text(const field_state& fs) const;
  void write_trend(const field_state& fs, key_update& upd) const;
  void write_entity(table::row& r, std::vector<key_update>& out);

  /// The event field summed, decided once: comparing def.value per event was 7 % of add_to.
  enum class value_source : uint8_t { none, price, amount };
  static value_source source_of(const feature_def& d);

  const compiled_feature& f_;
  value_source value_;
  bool string_out_;   // a string output (one value), else a hash (a field per group)
  int64_t trend_ms_;  // 0 = no trend
  int64_t tail_ = no_watermark;
  table entities_;
  basic_bucket_index<entity_id> current_;   // buckets at or after the tail
  basic_bucket_index<entity_id> previous_;  // buckets in the trend's previous window
  std::string label_;                       // the current event's field (reused)
};

}  // namespace rtfeat

// An offline table (users.csv / items.csv) held in memory the way `rtfeat
// materialize` leaves it in Redis: one row per id (a later row of the same id
// replaces the earlier one, as materialize's DEL + HSET does), empty cells absent.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/model_config.hpp"
#include "training/label_file.hpp"

namespace rtfeat::training {

class offline_rows {
public:
  /// Loads `path` with materialize's header and row checks. Bad rows go to `on_bad`
  /// and are skipped; false with `error` when the file or its header is unusable.
  bool load(const std::string& path, model_entity entity, const std::string& id_column,
            const bad_row_fn& on_bad, std::string& error);

  /// The non-empty cell of `column` in the row of `id`.
  std::optional<std::string_view> cell(std::string_view id, std::string_view column) const;

  size_t size() const { return rows_.size(); }
  uint64_t bad_rows() const { return bad_rows_; }

private:
  std::vector<std::string> columns_;
  size_t id_column_ = 0;  // not a field of the Redis row
  std::unordered_map<std::string, std::vector<std::string>> rows_;  // id -> cells by column
  uint64_t bad_rows_ = 0;
};

}  // namespace rtfeat::training

// offline_rows: materialize's own header and row parsing (runtime/offline), kept
// in a map instead of written to Redis.
#include "training/offline_rows.hpp"

#include <fstream>

#include "runtime/offline/csv_reader.hpp"
#include "runtime/offline/offline_table.hpp"

namespace rtfeat::training {

bool offline_rows::load(const std::string& path, model_entity entity, const std::string& id_column,
                        const bad_row_fn& on_bad, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return error = path + ": cannot open the offline table", false;
  csv_reader csv(in);
  std::vector<std::string> cells;
  std::string why;
  offline_header header;
  bool have_header = false;
  const std::string id_name = id_column.empty() ? std::string(default_id_column(entity)) : id_column;
  for (;;) {
    auto r = csv.next(cells, why);
    if (r == csv_reader::result::end) break;
    if (r == csv_reader::result::bad) {
      if (!have_header) return error = file_message(path, csv.line(), why), false;
      ++bad_rows_;
      if (on_bad) on_bad(csv.line(), why);
      continue;
    }
    if (!have_header) {
      if (!parse_offline_header(cells, id_name, header, why)) return error = file_message(path, 0, why), false;
      columns_ = header.columns;
      id_column_ = header.id_column;
      have_header = true;
      continue;
    }
    offline_row row;
    why = parse_offline_row(header, cells, row);
    if (!why.empty()) {
      ++bad_rows_;
      if (on_bad) on_bad(csv.line(), why);
      continue;
    }
    std::string id(row.id);
    rows_[std::move(id)] = std::move(cells);
    cells = {};
  }
  if (in.bad()) return error = path + ": read error", false;
  if (!have_header) return error = path + ": empty file, no header", false;
  return true;
}

std::optional<std::string_view> offline_rows::cell(std::string_view id,
                                                   std::string_view column) const {
  auto row = rows_.find(std::string(id));
  if (row == rows_.end()) return std::nullopt;
  int at = find_column(columns_, column);
  if (at < 0 || static_cast<size_t>(at) == id_column_ || row->second[static_cast<size_t>(at)].empty())
    return std::nullopt;
  return row->second[static_cast<size_t>(at)];
}

}  // namespace rtfeat::training

// read_label_file: the offline tables' CSV reader (RFC 4180) with the checks a
// label needs; a bad row is reported and skipped, never guessed at.
#include "training/label_file.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>

#include "runtime/entity_id.hpp"
#include "runtime/offline/csv_reader.hpp"

namespace rtfeat::training {

std::string file_message(const std::string& path, uint64_t line, const std::string& why) {
  std::string out = path;
  if (line > 0) out.append(":").append(std::to_string(line));
  return out.append(": ").append(why);
}

int find_column(const std::vector<std::string>& columns, std::string_view name) {
  auto it = std::find(columns.begin(), columns.end(), name);
  return it == columns.end() ? -1 : static_cast<int>(it - columns.begin());
}

namespace {

bool parse_header(const std::vector<std::string>& fields, label_file& out, std::string& error) {
  out.columns = fields;
  size_t* wanted[] = {&out.user_column, &out.item_column, &out.ts_column, &out.label_column};
  const char* names[] = {"user_id", "item_id", "ts", "label"};
  for (size_t k = 0; k < 4; ++k) {
    int at = find_column(fields, names[k]);
    if (at < 0) return error = std::string("no '") + names[k] + "' column in the header", false;
    *wanted[k] = static_cast<size_t>(at);
  }
  for (size_t i = 0; i < fields.size(); ++i)
    if (find_column(fields, fields[i]) != static_cast<int>(i))
      return error = "column '" + fields[i] + "' appears twice in the header", false;
  return true;
}

std::string row_problem(const label_file& f, const std::vector<std::string>& cells, int64_t& ts) {
  if (cells.size() != f.columns.size())
    return std::to_string(cells.size()) + " cells, the header has " + std::to_string(f.columns.size());
  if (auto why = entity_id_problem(cells[f.user_column]); !why.empty()) return "user_id: " + why;
  if (auto why = entity_id_problem(cells[f.item_column]); !why.empty()) return "item_id: " + why;
  const std::string& t = cells[f.ts_column];
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), ts);
  if (t.empty() || ec != std::errc{} || end != t.data() + t.size())
    return "ts '" + t + "' is not an integer (epoch milliseconds)";
  return {};
}

}  // namespace

bool read_label_file(const std::string& path, const bad_row_fn& on_bad, label_file& out,
                     std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return error = path + ": cannot open the labels file", false;
  csv_reader csv(in);
  std::vector<std::string> cells;
  std::string why;
  bool header = false;
  for (;;) {
    auto r = csv.next(cells, why);
    if (r == csv_reader::result::end) break;
    if (r == csv_reader::result::bad) {
      if (!header) return error = file_message(path, csv.line(), why), false;
      ++out.bad_rows;
      if (on_bad) on_bad(csv.line(), why);
      continue;
    }
    if (!header) {
      if (!parse_header(cells, out, why)) return error = file_message(path, 0, why), false;
      header = true;
      continue;
    }
    label_row row;
    why = row_problem(out, cells, row.ts);
    if (!why.empty()) {
      ++out.bad_rows;
      if (on_bad) on_bad(csv.line(), why);
      continue;
    }
    row.cells = std::move(cells);
    row.line = csv.line();
    out.rows.push_back(std::move(row));
    cells = {};
  }
  if (in.bad()) return error = path + ": read error", false;
  if (!header) return error = path + ": empty file, no header", false;
  return true;
}

}  // namespace rtfeat::training

// The label rows of `rtfeat export`: a CSV with a header naming at least
// user_id, item_id, ts (epoch ms) and label; every other column is kept and
// copied to the training file (and read by `context.NAME` model inputs).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace rtfeat::training {

struct label_row {
  std::vector<std::string> cells;  // as read, one per header column
  int64_t ts = 0;
  uint64_t line = 0;  // in the file, for messages
};

struct label_file {
  std::vector<std::string> columns;  // the header
  size_t user_column = 0, item_column = 0, ts_column = 0, label_column = 0;
  std::vector<label_row> rows;  // good rows, in file order
  uint64_t bad_rows = 0;
};

/// Called for each bad row (wrong column count, a ts that is not an integer of
/// epoch ms, an id that entity_id_problem refuses), which is then skipped.
using bad_row_fn = std::function<void(uint64_t line, const std::string& why)>;

/// False with `error` when the file cannot be read or its header lacks a column.
bool read_label_file(const std::string& path, const bad_row_fn& on_bad, label_file& out,
                     std::string& error);

/// "path:line: why" ("path: why" for line 0), as the reading errors are written.
std::string file_message(const std::string& path, uint64_t line, const std::string& why);

/// Index of `name` in `columns`, or -1.
int find_column(const std::vector<std::string>& columns, std::string_view name);

}  // namespace rtfeat::training

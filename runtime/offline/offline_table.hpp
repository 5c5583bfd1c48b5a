// An offline table (the article's Hive tables: one row per user or item) as
// `rtfeat materialize` loads it: the header, the id column, each row checked and
// turned into the Redis hash it becomes. Serve reads the same keys (offline_key).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/model_config.hpp"

namespace rtfeat {

/// "user:offline:{u42}": braces are the Redis Cluster hash tag, as in the engine's keys,
/// so an entity's offline row shares the slot of its features.
std::string offline_key(model_entity entity, std::string_view id);

/// The id column an entity's table has unless told otherwise: user_id, item_id.
std::string_view default_id_column(model_entity entity);

struct offline_header {
  std::vector<std::string> columns;
  size_t id_column = 0;  // index into columns
};

/// Checks the header row: non-empty, unique column names, `id_column` among them.
bool parse_offline_header(const std::vector<std::string>& fields, const std::string& id_column,
                          offline_header& out, std::string& error);

/// One good row: its id and the (column, value) pairs of its non-empty cells, id excluded.
struct offline_row {
  std::string_view id;
  std::vector<std::pair<std::string_view, std::string_view>> fields;
};

/// "" and `out` (views into `header` and `cells`) when `cells` is a good row, else why not:
/// a column count other than the header's, or an id that entity_id_problem refuses.
std::string parse_offline_row(const offline_header& header, const std::vector<std::string>& cells,
                              offline_row& out);

}  // namespace rtfeat

// Offline table rows -> Redis hashes (see offline_table.hpp). An empty cell is not
// written: a hash holds only present values, as the engine's hashes do, so serve
// sees "absent" and the model input takes its default.
#include "runtime/offline/offline_table.hpp"

#include <set>

#include "runtime/entity_id.hpp"

namespace rtfeat {

std::string offline_key(model_entity entity, std::string_view id) {
  std::string key(to_string(entity));
  key.append(":offline:{").append(id).append("}");
  return key;
}

std::string_view default_id_column(model_entity entity) {
  return entity == model_entity::user ? "user_id" : "item_id";
}

bool parse_offline_header(const std::vector<std::string>& fields, const std::string& id_column,
                          offline_header& out, std::string& error) {
  out = offline_header{fields, fields.size()};
  std::set<std::string_view> seen;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].empty()) return error = "column " + std::to_string(i + 1) + " has no name", false;
    if (!seen.insert(fields[i]).second)
      return error = "column '" + fields[i] + "' appears twice", false;
    if (fields[i] == id_column) out.id_column = i;
  }
  if (out.id_column == fields.size())
    return error = "no id column '" + id_column + "' in the header (give another with --id-column)",
           false;
  if (fields.size() < 2)
    return error = "the table has no column besides the id '" + id_column + "'", false;
  return true;
}

std::string parse_offline_row(const offline_header& header, const std::vector<std::string>& cells,
                              offline_row& out) {
  if (cells.size() != header.columns.size())
    return std::to_string(cells.size()) + " columns, the header has "
           + std::to_string(header.columns.size());
  out.id = cells[header.id_column];
  if (auto why = entity_id_problem(out.id); !why.empty()) return why;
  out.fields.clear();
  for (size_t i = 0; i < cells.size(); ++i)
    if (i != header.id_column && !cells[i].empty())
      out.fields.emplace_back(header.columns[i], cells[i]);
  return {};
}

}  // namespace rtfeat

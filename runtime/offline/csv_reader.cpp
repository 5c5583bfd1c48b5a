// RFC 4180 parsing, one physical line at a time (see csv_reader.hpp).
#include "runtime/offline/csv_reader.hpp"

#include <algorithm>

namespace rtfeat {

bool csv_reader::read_line() {
  if (!std::getline(in_, line_)) return false;
  ++line_no_;
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  if (line_no_ == 1 && line_.starts_with("\xEF\xBB\xBF")) line_.erase(0, 3);
  return true;
}

csv_reader::result csv_reader::next(std::vector<std::string>& fields, std::string& error) {
  do {
    if (!read_line()) return result::end;
  } while (line_.empty());
  start_line_ = line_no_;
  return parse(fields, error);
}

csv_reader::result csv_reader::parse(std::vector<std::string>& fields, std::string& error) {
  fields.clear();
  size_t i = 0;
  for (;;) {  // one field per turn
    auto& field = fields.emplace_back();
    if (i < line_.size() && line_[i] == '"') {
      ++i;
      for (;;) {
        if (i == line_.size()) {  // a line break inside the quotes
          if (!read_line()) {
            error = "unterminated quoted field " + std::to_string(fields.size())
                    + " (it runs to the end of the file)";
            return result::bad;
          }
          field += '\n';
          i = 0;
          continue;
        }
        char c = line_[i++];
        if (c != '"') {
          field += c;
        } else if (i < line_.size() && line_[i] == '"') {
          field += '"';
          ++i;
        } else {
          break;  // the closing quote
        }
      }
      if (i < line_.size() && line_[i] != ',') {
        error = "text after the closing quote of field " + std::to_string(fields.size());
        return result::bad;
      }
    } else {
      auto end = std::min(line_.find(',', i), line_.size());
      if (line_.find('"', i) < end) {
        error = "a quote inside unquoted field " + std::to_string(fields.size())
                + " (quote the field, double the quote)";
        return result::bad;
      }
      field.assign(line_, i, end - i);
      i = end;
    }
    if (i == line_.size()) return result::record;
    ++i;  // the comma
  }
}

}  // namespace rtfeat

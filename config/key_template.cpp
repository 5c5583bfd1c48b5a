// Parser for ${var} templates (see key_template.hpp).
#include "config/key_template.hpp"

namespace rtfeat {

std::vector<std::string> key_template::variables() const {
  std::vector<std::string> out;
  for (const auto& p : parts_)
    if (p.is_var) out.push_back(p.text);
  return out;
}

bool parse_key_template(std::string_view text, key_template& out, std::string& error) {
  out.parts_.clear();
  if (text.empty()) return error = "empty template", false;
  size_t pos = 0;
  while (pos < text.size()) {
    auto start = text.find("${", pos);
    if (start == std::string_view::npos) start = text.size();
    if (start > pos) out.parts_.push_back({std::string(text.substr(pos, start - pos)), false});
    if (start == text.size()) break;
    auto end = text.find('}', start + 2);
    if (end == std::string_view::npos) return error = "unclosed ${ in '" + std::string(text) + "'", false;
    if (end == start + 2) return error = "empty ${} in '" + std::string(text) + "'", false;
    out.parts_.push_back({std::string(text.substr(start + 2, end - start - 2)), true});
    pos = end + 1;
  }
  return true;
}

}  // namespace rtfeat

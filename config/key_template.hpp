// Redis key/field templates such as "user:feature:{${user_id}}": literal text
// and ${var} slots. Literal braces stay as Redis Cluster hash tags.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rtfeat {

class key_template {
public:
  struct part {
    std::string text;  // literal text, or the variable name when is_var
    bool is_var = false;
  };

  const std::vector<part>& parts() const { return parts_; }
  std::vector<std::string> variables() const;

  /// Appends the rendered template to `out`; `lookup(name)` gives each variable's value.
  template <class Lookup>
  void render(std::string& out, Lookup&& lookup) const {
    for (const auto& p : parts_) {
      if (p.is_var) out += lookup(p.text);
      else out += p.text;
    }
  }

private:
  friend bool parse_key_template(std::string_view, key_template&, std::string&);
  std::vector<part> parts_;
};

/// Parses `text`; false with a message for an unclosed or empty ${}.
bool parse_key_template(std::string_view text, key_template& out, std::string& error);

}  // namespace rtfeat

// A small recursive-descent parser for model input sources (see model_source.hpp).
#include "config/model_source.hpp"

#include <cctype>

namespace rtfeat {

namespace {

class cursor {
public:
  explicit cursor(std::string_view text) : text_(text) {}

  bool done() const { return pos_ == text_.size(); }
  bool eat(std::string_view token) {
    if (text_.substr(pos_).substr(0, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }
  /// [A-Za-z_][A-Za-z0-9_]*, or "" (nothing consumed).
  std::string_view name() {
    auto start = pos_;
    auto is_first = [](char c) {
      return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
    };
    auto is_rest = [&](char c) {
      return is_first(c) || std::isdigit(static_cast<unsigned char>(c)) != 0;
    };
    if (pos_ < text_.size() && is_first(text_[pos_]))
      while (pos_ < text_.size() && is_rest(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  std::string_view digits() {
    auto start = pos_;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_])) != 0)
      ++pos_;
    return text_.substr(start, pos_ - start);
  }
  /// The text up to the next `stop`, consuming it; false when there is none.
  bool until(char stop, std::string_view& out) {
    auto end = text_.find(stop, pos_);
    if (end == std::string_view::npos) return false;
    out = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return true;
  }
  /// "at column N" (1-based), for messages.
  std::string where() const {
    return done() ? "at the end"
                  : "at column " + std::to_string(pos_ + 1) + " ('" + text_[pos_] + "')";
  }

private:
  std::string_view text_;
  size_t pos_ = 0;
};

bool fail(const cursor& c, const std::string& expected, std::string& error) {
  error = "expected " + expected + " " + c.where();
  return false;
}

bool entity(cursor& c, model_entity& out) {
  if (c.eat("user.")) return out = model_entity::user, true;
  if (c.eat("item.")) return out = model_entity::item, true;
  return false;
}

bool index(cursor& c, input_index& out, std::string& error) {
  std::string_view text;
  if (c.eat("\"")) {
    if (!c.until('"', text) || text.empty()) return fail(c, "a non-empty \"quoted\" index", error);
    out = {input_index::from_kind::literal, model_entity::item, std::string(text)};
  } else if (text = c.digits(); !text.empty()) {
    out = {input_index::from_kind::literal, model_entity::item, std::string(text)};
  } else {
    model_entity e{};
    if (!entity(c, e) || !c.eat("offline."))
      return fail(c, "an index: \"text\", an integer, user.offline.COLUMN or item.offline.COLUMN",
                  error);
    auto column = c.name();
    if (column.empty()) return fail(c, "an offline column name", error);
    out = {input_index::from_kind::offline, e, std::string(column)};
  }
  return c.eat("]") || fail(c, "']'", error);
}

bool feature_ref(cursor& c, parsed_source& out, bool in_len, std::string& error) {
  if (!entity(c, out.entity))
    return fail(c, in_len ? "user. or item." : "user., item. or context.", error);
  auto name = c.name();
  if (name.empty()) return fail(c, "a feature name or 'offline'", error);
  out.name = name;
  if (name == "offline" && !in_len) {
    if (!c.eat(".") || (out.name = c.name()).empty())
      return fail(c, "'.' and an offline column name", error);
    out.kind = input_kind::offline;
    return true;
  }
  if (in_len) return true;
  if (c.eat(".") && (out.sub = c.name()).empty()) return fail(c, "a value name after '.'", error);
  if (c.eat("[")) return index(c, out.index, error);
  return true;
}

}  // namespace

bool parse_model_source(std::string_view text, parsed_source& out, std::string& error) {
  out = parsed_source{};
  cursor c(text);
  if (c.eat("context.")) {
    out.kind = input_kind::context;
    out.name = c.name();
    if (out.name.empty()) return fail(c, "a context name", error);
  } else if (c.eat("len(")) {
    out.kind = input_kind::length;
    if (!feature_ref(c, out, true, error)) return false;
    if (!c.eat(")")) return fail(c, "')'", error);
  } else if (!feature_ref(c, out, false, error)) {
    return false;
  }
  return c.done() || fail(c, "the end of the source", error);
}

}  // namespace rtfeat

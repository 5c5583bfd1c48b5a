// make_malformed: small text surgery on a valid line (whose format event_generator
// fixes), so each kind breaks exactly one rule and stays otherwise realistic.
#include "runtime/tools/gen/malformed_events.hpp"

#include "runtime/event_parser.hpp"
#include "runtime/tools/gen/catalog.hpp"
#include "runtime/tools/gen/random.hpp"

namespace rtfeat {

namespace {

constexpr std::array<std::string_view, malformed_kind_count> kind_names{
  "truncated_json",     "not_object",      "missing_user_id",  "null_user_id", "empty_user_id",
  "ts_string",          "ts_float",        "unknown_behavior", "ts_1990",      "ts_2100",
  "click_without_item", "category_string", "oversize"};

constexpr std::array<std::string_view, 4> unknown_behaviors{"\"buy\"", "\"purchased\"", "\"Click\"",
                                                            "\"add_to_cart\""};

struct field_span {
  size_t begin = 0;  // the opening quote of the key
  size_t value_begin = 0;
  size_t value_end = 0;  // one past the value
};

// String values written by event_generator contain no quotes, commas or braces.
bool find_field(const std::string& line, std::string_view key, field_span& out) {
  const std::string pattern = "\"" + std::string(key) + "\":";
  out.begin = line.find(pattern);
  if (out.begin == std::string::npos) return false;
  out.value_begin = out.begin + pattern.size();
  out.value_end = line[out.value_begin] == '"' ? line.find('"', out.value_begin + 1) + 1
                                               : line.find_first_of(",}", out.value_begin);
  return true;
}

// Replaces the value of `key`, or appends the field when it is absent.
void set_value(std::string& line, std::string_view key, std::string_view raw) {
  field_span f;
  if (find_field(line, key, f)) {
    line.replace(f.value_begin, f.value_end - f.value_begin, raw);
    return;
  }
  line.insert(line.size() - 1, ",\"" + std::string(key) + "\":" + std::string(raw));
}

void remove_field(std::string& line, std::string_view key) {
  field_span f;
  if (!find_field(line, key, f)) return;
  if (line[f.begin - 1] == ',')
    line.erase(f.begin - 1, f.value_end - f.begin + 1);
  else
    line.erase(f.begin, f.value_end - f.begin + (line[f.value_end] == ',' ? 1 : 0));
}

void make_not_object(std::string& line, std::mt19937_64& rng) {
  field_span user;
  switch (uniform_int(rng, 0, 4)) {
    case 0: line = "[1,2]"; break;
    case 1: line = "[" + line + "]"; break;  // a batch sent where one event belongs
    case 2: line = "null"; break;
    case 3:
      line = find_field(line, "user_id", user)
               ? line.substr(user.value_begin, user.value_end - user.value_begin)
               : "\"u1\"";
      break;
    default: line = std::to_string(uniform_int(rng, 0, 1000000)); break;
  }
}

void make_oversize(std::string& line, std::mt19937_64& rng) {
  remove_field(line, "query");
  const auto target =
    static_cast<size_t>(uniform_int(rng, static_cast<int64_t>(max_event_bytes) + 1, int64_t{68} * 1024));
  const size_t filler_size = target - line.size() - std::string_view(",\"query\":\"\"").size();
  const auto vocabulary = catalog::query_words();
  std::string filler;
  filler.reserve(filler_size + 16);
  while (filler.size() < filler_size) {
    filler += vocabulary[static_cast<size_t>(
      uniform_int(rng, 0, static_cast<int64_t>(vocabulary.size()) - 1))];
    filler += ' ';
  }
  filler.resize(filler_size);
  line.insert(line.size() - 1, ",\"query\":\"" + filler + "\"");
}

void quote_value(std::string& line, std::string_view key) {
  field_span f;
  if (!find_field(line, key, f)) return;
  const std::string value = line.substr(f.value_begin, f.value_end - f.value_begin);
  set_value(line, key, "\"" + value + "\"");
}

}  // namespace

std::string_view to_string(malformed_kind kind) { return kind_names[static_cast<size_t>(kind)]; }

reject_reason expected_reason(malformed_kind kind) {
  switch (kind) {
    case malformed_kind::truncated_json:
    case malformed_kind::not_object: return reject_reason::bad_json;
    case malformed_kind::missing_user_id:
    case malformed_kind::null_user_id:
    case malformed_kind::empty_user_id:
    case malformed_kind::click_without_item: return reject_reason::missing_field;
    case malformed_kind::ts_string:
    case malformed_kind::ts_float:
    case malformed_kind::category_string: return reject_reason::wrong_type;
    case malformed_kind::unknown_behavior: return reject_reason::bad_behavior;
    case malformed_kind::ts_1990:
    case malformed_kind::ts_2100: return reject_reason::ts_out_of_range;
    case malformed_kind::oversize: return reject_reason::oversize;
  }
  return reject_reason::bad_json;
}

void make_malformed(malformed_kind kind, std::string& line, std::mt19937_64& rng) {
  field_span f;
  switch (kind) {
    case malformed_kind::truncated_json:
      line.resize(static_cast<size_t>(uniform_int(rng, 1, static_cast<int64_t>(line.size()) - 1)));
      break;
    case malformed_kind::not_object: make_not_object(line, rng); break;
    case malformed_kind::missing_user_id: remove_field(line, "user_id"); break;
    case malformed_kind::null_user_id: set_value(line, "user_id", "null"); break;
    case malformed_kind::empty_user_id: set_value(line, "user_id", "\"\""); break;
    case malformed_kind::ts_string: quote_value(line, "ts"); break;
    case malformed_kind::ts_float:
      if (find_field(line, "ts", f))
        line.insert(f.value_end, "." + std::to_string(uniform_int(rng, 1, 9)));
      break;
    case malformed_kind::unknown_behavior:
      set_value(line, "behavior", unknown_behaviors[static_cast<size_t>(uniform_int(rng, 0, 3))]);
      break;
    case malformed_kind::ts_1990:  // 1990-01-01 .. 1990-12-31
      set_value(line, "ts", std::to_string(uniform_int(rng, 631152000000, 662687999999)));
      break;
    case malformed_kind::ts_2100:  // 2100-01-01 .. 2100-12-31
      set_value(line, "ts", std::to_string(uniform_int(rng, 4102444800000, 4133980799999)));
      break;
    case malformed_kind::click_without_item:
      set_value(line, "behavior", "\"click\"");
      remove_field(line, "item_id");
      break;
    case malformed_kind::category_string:
      if (find_field(line, "category_id", f))
        quote_value(line, "category_id");
      else
        set_value(line, "category_id", "\"" + std::to_string(uniform_int(rng, 1, 200)) + "\"");
      break;
    case malformed_kind::oversize: make_oversize(line, rng); break;
  }
}

}  // namespace rtfeat

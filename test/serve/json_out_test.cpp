// JSON text helpers of serve: escaping, UTF-8 repair, and which Redis texts
// may be copied into a response as numbers.
#include <doctest/doctest.h>

#include "serve/json/json_out.hpp"

using namespace rtfeat::serve;

TEST_SUITE("serve.json_out") {
  TEST_CASE("strings are quoted and escaped, control characters as \\u00XX") {
    std::string out;
    append_json_string(out, "a\"b\\c\nd\x01");
    CHECK(out == "\"a\\\"b\\\\c\\u000ad\\u0001\"");
  }
  TEST_CASE("valid UTF-8 is kept and invalid bytes become U+FFFD") {
    std::string out;
    append_json_string(out, "h\xC3\xA9llo \xE4\xB8\xAD");
    CHECK(out == "\"h\xC3\xA9llo \xE4\xB8\xAD\"");
    out.clear();
    append_json_string(out, "x\xFFy\xC3");  // a stray byte and a truncated sequence
    CHECK(out == "\"x\xEF\xBF\xBDy\xEF\xBF\xBD\"");
    out.clear();
    append_json_string(out, "\xED\xA0\x80");  // an encoded surrogate is not UTF-8
    CHECK(out == "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
  }
  TEST_CASE("integers and numbers are recognised as JSON allows them") {
    CHECK(is_json_integer("0"));
    CHECK(is_json_integer("-12"));
    CHECK(is_json_integer("1732450000123"));
    CHECK_FALSE(is_json_integer(""));
    CHECK_FALSE(is_json_integer("-"));
    CHECK_FALSE(is_json_integer("007"));
    CHECK_FALSE(is_json_integer("1.5"));
    CHECK_FALSE(is_json_integer("12345678901234567890"));  // 20 digits: not an int64
    CHECK(is_json_number("77.2727"));
    CHECK(is_json_number("-0.5000"));
    CHECK(is_json_number("1e-3"));
    CHECK(is_json_number("3"));
    CHECK_FALSE(is_json_number("1."));
    CHECK_FALSE(is_json_number(".5"));
    CHECK_FALSE(is_json_number("01.5"));
    CHECK_FALSE(is_json_number("nan"));
    CHECK_FALSE(is_json_number("inf"));
  }
}

// Event validation of SPEC §2: each reject reason, and what is accepted.
#include <doctest/doctest.h>

#include <string>

#include "runtime/event_parser.hpp"

using namespace rtfeat;

namespace {

constexpr int64_t now = 1767225600000;  // 2026-01-01

std::optional<reject_reason> parse(const std::string& json, event* out = nullptr) {
  event_parser p(now);
  event e;
  auto r = p.parse(json, e);
  if (out != nullptr) *out = e;
  return r;
}

}  // namespace

TEST_SUITE("runtime.event_parser") {
  TEST_CASE("a complete click event is accepted with every field") {
    event e;
    auto r = parse(R"({"user_id":"u42","behavior":"click","item_id":"i9","category_id":17,)"
                   R"("ts":1767225500123,"price":59.9,"amount":0,"region":"hz","campaign_id":"c11","query":"x"})",
                   &e);
    REQUIRE_FALSE(r.has_value());
    CHECK(e.user_id == "u42");
    CHECK(e.kind == behavior::click);
    CHECK(e.item_id == "i9");
    CHECK(e.category_id == 17);
    CHECK(e.ts == 1767225500123);
    CHECK(e.has_price);
    CHECK(e.price == doctest::Approx(59.9));
    CHECK(e.region == "hz");
    CHECK(e.campaign_id == "c11");
  }
  TEST_CASE("a search event needs no item or category") {
    event e;
    CHECK_FALSE(parse(R"({"user_id":"u1","behavior":"search","ts":1767225500000,"query":"shoes"})", &e));
    CHECK_FALSE(e.has_category);
    CHECK_FALSE(e.has_price);
  }
  TEST_CASE("a payload over 64 KiB is oversize") {
    std::string big = R"({"user_id":"u1","behavior":"search","ts":1767225500000,"query":")"
                      + std::string(70000, 'x') + "\"}";
    CHECK(parse(big) == reject_reason::oversize);
  }
  TEST_CASE("broken JSON, a non-object and trailing garbage are bad_json") {
    CHECK(parse(R"({"user_id":"u1","behavior":)") == reject_reason::bad_json);
    CHECK(parse("[1,2]") == reject_reason::bad_json);
    CHECK(parse("") == reject_reason::bad_json);
    CHECK(parse(R"({"user_id":"u1"} x)") == reject_reason::bad_json);
  }
  TEST_CASE("a missing, null or empty required field is missing_field") {
    CHECK(parse(R"({"behavior":"click","item_id":"i","category_id":1,"ts":1767225500000})") == reject_reason::missing_field);
    CHECK(parse(R"({"user_id":null,"behavior":"click","item_id":"i","category_id":1,"ts":1767225500000})") == reject_reason::missing_field);
    CHECK(parse(R"({"user_id":"","behavior":"click","item_id":"i","category_id":1,"ts":1767225500000})") == reject_reason::missing_field);
    CHECK(parse(R"({"user_id":"u","behavior":"click","category_id":1,"ts":1767225500000})") == reject_reason::missing_field);
    CHECK(parse(R"({"user_id":"u","behavior":"view","item_id":"i","ts":1767225500000})") == reject_reason::missing_field);
    CHECK(parse(R"({"user_id":"u","behavior":"view","item_id":"i","category_id":1})") == reject_reason::missing_field);
  }
  TEST_CASE("a field of the wrong JSON type is wrong_type") {
    CHECK(parse(R"({"user_id":42,"behavior":"click","item_id":"i","category_id":1,"ts":1767225500000})") == reject_reason::wrong_type);
    CHECK(parse(R"({"user_id":"u","behavior":"click","item_id":"i","category_id":"1","ts":1767225500000})") == reject_reason::wrong_type);
    CHECK(parse(R"({"user_id":"u","behavior":"click","item_id":"i","category_id":1,"ts":"1767225500000"})") == reject_reason::wrong_type);
    CHECK(parse(R"({"user_id":"u","behavior":"click","item_id":"i","category_id":1,"ts":1767225500000.5})") == reject_reason::wrong_type);
    CHECK(parse(R"({"user_id":"u","behavior":"click","item_id":"i","category_id":1,"ts":1767225500000,"price":"9"})") == reject_reason::wrong_type);
    CHECK(parse(R"({"user_id":"u","behavior":1,"item_id":"i","category_id":1,"ts":1767225500000})") == reject_reason::wrong_type);
  }
  TEST_CASE("an unknown behaviour is bad_behavior") {
    CHECK(parse(R"({"user_id":"u","behavior":"buy","item_id":"i","category_id":1,"ts":1767225500000})") == reject_reason::bad_behavior);
  }
  TEST_CASE("ts before 2000 or more than a day after now is ts_out_of_range") {
    CHECK(parse(R"({"user_id":"u","behavior":"view","item_id":"i","category_id":1,"ts":946684799999})") == reject_reason::ts_out_of_range);
    CHECK_FALSE(parse(R"({"user_id":"u","behavior":"view","item_id":"i","category_id":1,"ts":946684800000})"));
    CHECK_FALSE(parse(R"({"user_id":"u","behavior":"view","item_id":"i","category_id":1,"ts":1767312000000})"));
    CHECK(parse(R"({"user_id":"u","behavior":"view","item_id":"i","category_id":1,"ts":1767312000001})") == reject_reason::ts_out_of_range);
  }
  TEST_CASE("a price or amount beyond ±1e18 is out_of_range, checked after ts; the bound itself is accepted") {
    auto buy = [](const std::string& tail, int64_t ts = 1767225500000) {
      return parse(R"({"user_id":"u","behavior":"purchase","item_id":"i","category_id":1,"ts":)"
                   + std::to_string(ts) + tail + "}");
    };
    CHECK_FALSE(buy(R"(,"amount":1e18,"price":-1e18)"));
    CHECK_FALSE(buy(R"(,"amount":999999999999999999)"));
    CHECK(buy(R"(,"amount":1e19)") == reject_reason::out_of_range);
    CHECK_FALSE(buy(R"(,"amount":1000000000000000001)"));  // is 1e18 as a double: the bound is on the double
    CHECK(buy(R"(,"amount":1000000000000000200)") == reject_reason::out_of_range);
    CHECK(buy(R"(,"amount":1.0000000000000002e18)") == reject_reason::out_of_range);
    CHECK(buy(R"(,"price":-1.5e18)") == reject_reason::out_of_range);
    CHECK(buy(R"(,"price":1e300,"amount":1)") == reject_reason::out_of_range);
    CHECK(buy(R"(,"amount":1e19)", 946684799999) == reject_reason::ts_out_of_range);
    CHECK(buy(R"(,"amount":"1e19")") == reject_reason::wrong_type);
    CHECK(buy(R"(,"amount":1e400)") == reject_reason::bad_json);  // not a double: simdjson refuses the document
  }
  TEST_CASE("the amount bound can be left to the caller (the oracle checks it itself)") {
    event_parser p(now, parse_checks{.amount_range = false});
    event e;
    CHECK_FALSE(p.parse(R"({"user_id":"u","behavior":"purchase","item_id":"i","category_id":1,"ts":1767225500000,"amount":1e19})", e));
    CHECK(e.amount == 1e19);
  }
  TEST_CASE("a repeated key takes its last value") {
    event e;
    CHECK_FALSE(parse(R"({"user_id":"a","user_id":"b","behavior":"search","ts":1767225500000})", &e));
    CHECK(e.user_id == "b");
  }
  TEST_CASE("a null optional field counts as absent") {
    event e;
    CHECK_FALSE(parse(R"({"user_id":"u","behavior":"click","item_id":"i","category_id":1,"ts":1767225500000,"price":null})", &e));
    CHECK_FALSE(e.has_price);
  }
}

// Dead-letter records: valid JSON for any bytes, payloads cut at the limit and
// at a character boundary, base64 for bytes that are not UTF-8, size and hash.
#include "runtime/dead_letter/dead_letter_record.hpp"

#include <string>

#include <doctest/doctest.h>
#include <simdjson.h>

#include "runtime/dead_letter/payload_text.hpp"

namespace {

struct parsed_record {
  std::string encoding, payload, sha256;
  uint64_t bytes = 0;
  bool truncated = false;
};

// simdjson validates UTF-8 and the JSON grammar: what jq or Python would refuse, it refuses.
parsed_record parse(const std::string& line) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE(parser.parse(line).get(doc) == simdjson::SUCCESS);
  parsed_record r;
  std::string_view s;
  REQUIRE(doc["payload_encoding"].get_string().get(s) == simdjson::SUCCESS);
  r.encoding = s;
  REQUIRE(doc["payload"].get_string().get(s) == simdjson::SUCCESS);
  r.payload = s;
  REQUIRE(doc["payload_sha256"].get_string().get(s) == simdjson::SUCCESS);
  r.sha256 = s;
  REQUIRE(doc["payload_bytes"].get_uint64().get(r.bytes) == simdjson::SUCCESS);
  REQUIRE(doc["payload_truncated"].get_bool().get(r.truncated) == simdjson::SUCCESS);
  return r;
}

}  // namespace

TEST_SUITE("runtime.dead_letter_record") {
  TEST_CASE("a small valid event is kept whole as text with its size and SHA-256") {
    auto r = parse(rtfeat::dead_letter_record(rtfeat::reject_reason::bad_json, "events", 3, 17, "abc\n\"x\"", 64));
    CHECK(r.encoding == "utf8");
    CHECK(r.payload == "abc\n\"x\"");
    CHECK(r.bytes == 7);
    CHECK_FALSE(r.truncated);
    CHECK(rtfeat::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  TEST_CASE("a payload above the limit is cut there, and its hash is of the whole payload") {
    std::string big(1000, 'x');
    auto r = parse(rtfeat::dead_letter_record(rtfeat::reject_reason::oversize, "events", 0, 1, big, 100));
    CHECK(r.payload == std::string(100, 'x'));
    CHECK(r.truncated);
    CHECK(r.bytes == 1000);
    CHECK(r.sha256 == rtfeat::sha256_hex(big));
  }

  TEST_CASE("a cut inside a multi-byte character moves back to the character's start") {
    std::string text = "ab\xE2\x82\xAC";  // "ab€": the euro sign is 3 bytes
    auto r = parse(rtfeat::dead_letter_record(rtfeat::reject_reason::oversize, "events", 0, 1, text, 4));
    CHECK(r.encoding == "utf8");
    CHECK(r.payload == "ab");
    CHECK(r.truncated);
  }

  TEST_CASE("bytes that are not UTF-8 are base64, and the line stays valid JSON") {
    std::string bad = "{\"user_id\":\"\xFF\xFE\"}";
    auto r = parse(rtfeat::dead_letter_record(rtfeat::reject_reason::bad_json, "events", 0, 1, bad, 64));
    CHECK(r.encoding == "base64");
    CHECK(r.payload == rtfeat::base64(bad));
    CHECK(rtfeat::base64("ab") == "YWI=");
    CHECK(rtfeat::base64("abcd") == "YWJjZA==");
  }

  TEST_CASE("a refused dead letter carries the refusal as its last field") {
    auto line = rtfeat::with_dlq_error(
      rtfeat::dead_letter_record(rtfeat::reject_reason::bad_json, "events", 0, 1, "x", 64), "too \"large\"");
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    REQUIRE(parser.parse(line).get(doc) == simdjson::SUCCESS);
    std::string_view error;
    REQUIRE(doc["dlq_error"].get_string().get(error) == simdjson::SUCCESS);
    CHECK(error == "too \"large\"");
  }
}

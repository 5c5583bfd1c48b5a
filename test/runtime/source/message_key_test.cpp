// message_key_extractor: the Kafka key is the user_id of a well-formed event
// object, and there is no key for anything else.
#include "runtime/source/message_key.hpp"

#include <string>

#include <doctest/doctest.h>

using rtfeat::message_key_extractor;

TEST_SUITE("runtime.kafka.message_key") {
  TEST_CASE("the key of an event is its user_id") {
    message_key_extractor keys;
    CHECK(keys.user_id(R"({"user_id":"u42","behavior":"click","ts":1})") == "u42");
    CHECK(keys.user_id(R"({"behavior":"click","user_id":"u7"})") == "u7");
    CHECK(keys.user_id(R"({"user_id":"u1","user_id":"u2"})")
          == "u2");  // last wins, as in the parser
  }

  TEST_CASE("payloads that are not an object with a non-empty string user_id have no key") {
    message_key_extractor keys;
    for (std::string payload : {R"({"user_id":"u42","behavior":"cli)", R"([{"user_id":"u1"}])",
                                R"("u1")", "null", "", R"({"user_id":null})", R"({"user_id":""})",
                                R"({"user_id":42})", R"({"behavior":"view"})"})
      CHECK_MESSAGE(!keys.user_id(payload), payload);
  }

  TEST_CASE("a key survives oversize payloads") {
    message_key_extractor keys;
    const std::string big = R"({"user_id":"u9","query":")" + std::string(100000, 'x') + "\"}";
    CHECK(keys.user_id(big) == "u9");
  }
}

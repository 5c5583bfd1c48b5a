// What serve accepts in a request: entity ids, the features query, and the
// batch body, with the exact errors a client gets back.
#include <doctest/doctest.h>

#include "serve/api/batch_request.hpp"
#include "serve/api/query_string.hpp"

using namespace rtfeat::serve;

TEST_SUITE("serve.request_parsing") {
  TEST_CASE("the features query selects names, percent-encoded or not") {
    std::vector<std::string> names;
    bool only = false;
    std::string error;
    REQUIRE(parse_features_query("", names, only, error));
    CHECK_FALSE(only);
    REQUIRE(parse_features_query("features=a,b", names, only, error));
    CHECK(only);
    CHECK(names == std::vector<std::string>{"a", "b"});
    REQUIRE(parse_features_query("features=a%2Cb&features=c", names, only, error));
    CHECK(names == std::vector<std::string>{"a", "b", "c"});
    CHECK_FALSE(parse_features_query("feature=a", names, only, error));
    CHECK(error == "unknown query parameter 'feature' (features)");
    CHECK_FALSE(parse_features_query("features=%zz", names, only, error));
    CHECK(error == "bad percent-encoding in the query string");
    CHECK_FALSE(parse_features_query("features=a%2", names, only, error));
  }
  TEST_CASE("a batch body gives ids per entity and the feature names") {
    batch_request r;
    std::string error;
    REQUIRE(parse_batch_request(R"({"users":["u1","u2"],"items":["i1"],"features":["f"]})", r, error));
    CHECK(r.ids[0] == std::vector<std::string>{"u1", "u2"});
    CHECK(r.ids[1] == std::vector<std::string>{"i1"});
    CHECK(r.ids[2].empty());
    CHECK(r.has_features);
    CHECK(r.features == std::vector<std::string>{"f"});
    REQUIRE(parse_batch_request(R"({"categories":["17"]})", r, error));
    CHECK_FALSE(r.has_features);
    CHECK(r.ids[2] == std::vector<std::string>{"17"});
  }
  TEST_CASE("malformed JSON is refused with the byte offset of the error") {
    batch_request r;
    std::string error;
    CHECK_FALSE(parse_batch_request(R"({"users":["a",}])", r, error));
    CHECK(error.starts_with("malformed JSON at byte 14: "));
    CHECK_FALSE(parse_batch_request(R"({"users":["a"]} x)", r, error));
    CHECK(error.starts_with("malformed JSON at byte "));
    CHECK_FALSE(parse_batch_request("", r, error));
    CHECK(error.starts_with("malformed JSON at byte 0: "));
  }
  TEST_CASE("wrong shapes and unknown keys are named") {
    batch_request r;
    std::string error;
    CHECK_FALSE(parse_batch_request(R"(["u1"])", r, error));
    CHECK(error == "the body must be a JSON object");
    CHECK_FALSE(parse_batch_request(R"({"users":"u1"})", r, error));
    CHECK(error == "users must be an array of strings");
    CHECK_FALSE(parse_batch_request(R"({"users":[1]})", r, error));
    CHECK(error == "users must be an array of strings");
    CHECK_FALSE(parse_batch_request(R"({"user":["u1"]})", r, error));
    CHECK(error == "unknown key 'user' (users, items, categories, features)");
  }
}

// The file source in a cluster: a node holds only its own partitions of the
// file, each from the offset its checkpoint restored, with the offsets the
// whole file gives those lines.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "runtime/source/file_source.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"

using namespace rtfeat;

namespace {

/// Every (offset, line) a source delivers.
std::vector<std::pair<int64_t, std::string>> drain(message_source& s) {
  std::vector<std::pair<int64_t, std::string>> out;
  while (s.poll(3, [&](int64_t offset, std::string_view line) { out.emplace_back(offset, line); })
         > 0) {
  }
  return out;
}

}  // namespace

TEST_SUITE("runtime.source.file_source") {
  TEST_CASE("a node keeps only its partitions, from their restored offsets") {
    test::temp_dir dir;
    auto path = dir.path() + "/log.jsonl";
    std::string text;
    for (int i = 0; i < 40; ++i)
      text += R"({"user_id":"u)" + std::to_string(i % 7) + R"(","n":)" + std::to_string(i) + "}\n";
    test::spit(path, text);
    std::string error;
    auto whole = open_file_sources(path, 3, {}, error);
    REQUIRE(whole.size() == 3);
    auto all_of_1 = drain(*whole[1]);
    REQUIRE(all_of_1.size() > 3);

    const std::vector<int32_t> mine{1};
    auto node = open_file_sources(path, 3, {0, 3, 0}, error, &mine);
    REQUIRE(node.size() == 3);
    CHECK(drain(*node[0]).empty());  // not this node's
    CHECK(node[2]->at_end());
    auto resumed = drain(*node[1]);
    CHECK(resumed
          == std::vector<std::pair<int64_t, std::string>>(all_of_1.begin() + 3, all_of_1.end()));
    CHECK(node[1]->at_end());
  }

  TEST_CASE("a start past a partition's end leaves it at its end") {
    test::temp_dir dir;
    auto path = dir.path() + "/log.jsonl";
    test::spit(path, "{\"user_id\":\"u1\"}\n{\"user_id\":\"u1\"}\n");
    std::string error;
    auto sources = open_file_sources(path, 1, {5}, error);
    REQUIRE(sources.size() == 1);
    CHECK(sources[0]->at_end());
    CHECK(drain(*sources[0]).empty());
  }
}

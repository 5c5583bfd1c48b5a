// Node logs as the drill reads them: the processing line's numbers, and a tail
// that hands out each complete line once, however the file grows.
#include <doctest/doctest.h>

#include <fstream>

#include "runtime/drill/node_log.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.drill.node_log") {
  TEST_CASE("the processing line gives its time and checkpoint, other lines nothing") {
    auto p = parse_processing_line(
      "node: processing: readers started at unix_ms=1796385789912 from checkpoint 3 (0 = the "
      "beginning)");
    REQUIRE(p);
    CHECK(p->unix_ms == 1796385789912);
    CHECK(p->checkpoint == 3);
    auto fresh = parse_processing_line(
      "node: processing: readers started at unix_ms=5 from checkpoint 0 (0 = the beginning)");
    REQUIRE(fresh);
    CHECK(fresh->checkpoint == 0);
    CHECK_FALSE(parse_processing_line(
      "node: restoring checkpoint 3 (256 key groups, 1 bytes, read in 2 ms)"));
    CHECK_FALSE(
      parse_processing_line("node: processing: readers started at unix_ms= from checkpoint 3"));
    CHECK_FALSE(
      parse_processing_line("x node: processing: readers started at unix_ms=5 from checkpoint 3"));
  }

  TEST_CASE("a tail returns complete lines once, and a partial line when it is finished") {
    test::temp_dir dir;
    auto path = dir.path() + "/node.log";
    log_tail tail(path);
    CHECK(tail.new_lines().empty());  // no file yet
    std::ofstream out(path);
    out << "one\ntwo\nthr" << std::flush;
    CHECK(tail.new_lines() == std::vector<std::string>{"one", "two"});
    CHECK(tail.new_lines().empty());
    out << "ee\n\nfour\n" << std::flush;
    CHECK(tail.new_lines() == std::vector<std::string>{"three", "", "four"});
  }
}

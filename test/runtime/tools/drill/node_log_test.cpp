// Node logs as the drill reads them: a tail that hands out each complete line
// once, however the file grows.
#include <doctest/doctest.h>

#include <fstream>

#include "runtime/tools/drill/node_log.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.drill.node_log") {
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

// The node's status file as the drill reads it: what the node wrote, and
// nothing (not a guess) while there is no file or no whole one.
#include <doctest/doctest.h>

#include <fstream>

#include "runtime/lifecycle/node_status.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.lifecycle.node_status") {
  TEST_CASE("a status reads back as written, and a rewrite replaces it") {
    test::temp_dir dir;
    auto path = dir.path() + "/node.status.json";
    CHECK_FALSE(read_node_status(path));  // not written yet
    std::string error;
    REQUIRE(write_node_status(path, {1796385789912, 0, 1, 0}, error));
    auto s = read_node_status(path);
    REQUIRE(s);
    CHECK(s->processing_since_unix_ms == 1796385789912);
    CHECK(s->checkpoint == 0);
    REQUIRE(write_node_status(path, {1796385799000, 7, 2, 1, 812, "stop 0 ms, \"handshake\" 12 ms"}, error));
    s = read_node_status(path);
    REQUIRE(s);
    CHECK(s->processing_since_unix_ms == 1796385799000);
    CHECK(s->checkpoint == 7);
    CHECK(s->starts == 2);
    CHECK(s->resumed_from_checkpoint == 1);
    CHECK(s->resume_ms == 812);
    CHECK(s->resume_stages == "stop 0 ms, handshake 12 ms");  // quotes dropped, not a torn file
  }

  TEST_CASE("a torn or foreign file reads as no status; an unwritable path is an error") {
    test::temp_dir dir;
    auto path = dir.path() + "/node.status.json";
    std::ofstream(path) << R"({"state":"processing","processing_since_unix_ms":17)";
    CHECK_FALSE(read_node_status(path));
    std::ofstream(path) << R"({"state":"processing"})";
    CHECK_FALSE(read_node_status(path));
    std::string error;
    CHECK_FALSE(write_node_status(dir.path() + "/no/such/dir/status.json", {}, error));
    CHECK(error.find("no/such/dir") != std::string::npos);
  }
}

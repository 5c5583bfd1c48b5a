// The drill's children: output in their log, exit codes and signals reported,
// a SIGKILL waited for, a missing binary an error rather than a silent child.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "runtime/tools/drill/child_process.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.drill.child_process") {
  TEST_CASE("a child's output goes to its log and its exit code is kept") {
    test::temp_dir dir;
    std::string error;
    auto log = dir.path() + "/child.log";
    auto c = child_process::start({find_executable("sh"), "-c", "echo out; echo err >&2; exit 3"},
                                  log, error);
    REQUIRE_MESSAGE(c, error);
    while (c->running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(c->status());
    CHECK(c->status()->code == 3);
    CHECK_FALSE(c->status()->ok());
    CHECK(c->status()->describe() == "exit code 3");
    CHECK(test::slurp(log) == "out\nerr\n");
  }

  TEST_CASE("kill ends a running child with SIGKILL and waits for it") {
    test::temp_dir dir;
    std::string error;
    auto c =
      child_process::start({find_executable("sleep"), "30"}, dir.path() + "/sleep.log", error);
    REQUIRE_MESSAGE(c, error);
    CHECK(c->running());
    c->kill();
    CHECK_FALSE(c->running());
    CHECK(c->status()->describe() == "killed by SIGKILL");
    c->kill();  // a second kill is harmless
  }

  TEST_CASE("a binary that cannot run is an error at start") {
    test::temp_dir dir;
    std::string error;
    auto c =
      child_process::start({"/nonexistent/rtfeat-test-binary"}, dir.path() + "/x.log", error);
    CHECK_FALSE(c);
    CHECK(error == "cannot run /nonexistent/rtfeat-test-binary: No such file or directory");
  }

  TEST_CASE("executables are found in PATH, and a path is taken as it is") {
    CHECK(find_executable("sh").find("/sh") != std::string::npos);
    CHECK(find_executable("rtfeat-no-such-binary").empty());
    CHECK(find_executable("/bin/sh") == "/bin/sh");
    CHECK(find_executable("/nonexistent/sh").empty());
  }
}

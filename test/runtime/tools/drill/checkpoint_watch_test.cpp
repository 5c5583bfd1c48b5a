// The checkpoint directory seen from outside: complete ones are remembered even
// after retention removes them; a checkpoint is in flight from its first file to
// its MANIFEST; newest_seen lets a drill tell a new one from a cut one's debris.
#include <doctest/doctest.h>

#include <filesystem>

#include "runtime/tools/drill/checkpoint_watch.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"

using namespace rtfeat;

namespace {

void touch(const std::string& dir, uint64_t id, const std::string& file) {
  auto d = dir + "/chk-" + std::to_string(id);
  std::filesystem::create_directories(d);
  test::spit(d + "/" + file, "x");
}

}  // namespace

TEST_SUITE("runtime.drill.checkpoint_watch") {
  TEST_CASE("an empty or missing directory has no checkpoint") {
    checkpoint_watch w("/nonexistent/rtfeat-drill-test");
    w.poll();
    CHECK(w.newest_complete() == 0);
    CHECK(w.in_flight() == 0);
    CHECK(w.completed_count() == 0);
  }

  TEST_CASE("a checkpoint is in flight from its first file to its MANIFEST") {
    test::temp_dir dir;
    checkpoint_watch w(dir.path());
    touch(dir.path(), 1, "kg-0.snap");
    touch(dir.path(), 1, "MANIFEST");
    std::filesystem::create_directories(dir.path()
                                        + "/chk-2");  // barrier sent, nothing written yet
    w.poll();
    CHECK(w.newest_complete() == 1);
    CHECK(w.in_flight() == 0);
    CHECK(w.newest_seen() == 2);
    touch(dir.path(), 2, "kg-5.snap");
    w.poll();
    CHECK(w.in_flight() == 2);
    touch(dir.path(), 2, "MANIFEST");
    w.poll();
    CHECK(w.newest_complete() == 2);
    CHECK(w.in_flight() == 0);
    CHECK(w.completed_count() == 2);
  }

  TEST_CASE("retention does not make a completed checkpoint forgotten") {
    test::temp_dir dir;
    checkpoint_watch w(dir.path());
    touch(dir.path(), 1, "MANIFEST");
    w.poll();
    std::filesystem::remove_all(dir.path() + "/chk-1");
    touch(dir.path(), 2, "MANIFEST");
    w.poll();
    CHECK(w.completed_count() == 2);
    CHECK(w.was_completed(1));
    CHECK_FALSE(w.was_completed(3));
  }

  TEST_CASE(
    "a checkpoint cut by a kill stays visible until a newer one appears above newest_seen") {
    test::temp_dir dir;
    checkpoint_watch w(dir.path());
    touch(dir.path(), 4, "MANIFEST");
    touch(dir.path(), 5, "kg-1.snap");  // cut: it never gets a MANIFEST
    w.poll();
    CHECK(w.in_flight() == 5);
    auto floor = w.newest_seen();
    CHECK(floor == 5);
    touch(dir.path(), 6, "kg-1.snap");  // the restored cluster's next checkpoint
    w.poll();
    CHECK(w.in_flight() == 6);
    CHECK(w.in_flight() > floor);
  }
}

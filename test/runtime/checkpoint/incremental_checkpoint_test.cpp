// Incremental checkpoints on a real directory: an unchanged key group is
// referenced, not rewritten; restore and verify follow references; retention
// keeps referenced files of retired checkpoints; a corrupt referenced file makes
// every checkpoint sharing it fail, so restore falls back past them.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <string>

#include "runtime/checkpoint/checkpoint_store.hpp"
#include "runtime/checkpoint/incremental_snapshots.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"
#include "test/support/restorable.hpp"

using namespace rtfeat;
using rtfeat::test::temp_dir;

namespace {

constexpr uint64_t catalogue = 0x1234;

struct writer {
  const checkpoint_store& store;
  incremental_snapshots files;

  /// Checkpoint `id` of `bodies` (key group -> body), committed with `keep`.
  checkpoint_manifest checkpoint(uint64_t id, const std::map<uint32_t, std::string>& bodies, size_t keep = 3,
                                 bool commit = true) {
    checkpoint_manifest m;
    m.id = id;
    m.catalogue_hash = catalogue;
    std::string warning;
    for (const auto& [kg, body] : bodies) {
      snapshot_entry e;
      bool referenced = false;
      REQUIRE(files.put(store, id, catalogue, kg, body, e, referenced));
      CHECK(referenced == (e.stored_in != 0));
      m.snapshots.push_back(e);
    }
    if (commit) REQUIRE(store.commit(m, keep, warning));
    return m;
  }
};

std::unique_ptr<checkpoint_store> open_store(const temp_dir& dir) {
  auto opened = checkpoint_store::open(dir.path() + "/checkpoints", open_mode::create);
  REQUIRE_MESSAGE(opened, opened.error());
  auto store = std::move(*opened);
  return store;
}

std::string read_back(const checkpoint_store& s, uint64_t id, uint32_t kg) {
  checkpoint_manifest m;
  std::string body;
  REQUIRE(s.load_manifest(id, m));
  REQUIRE(s.read_snapshot(m, kg, body));
  return body;
}

}  // namespace

TEST_SUITE("runtime.checkpoint.incremental") {
  TEST_CASE("an unchanged key group is referenced, a changed one rewritten, and both read back") {
    temp_dir dir;
    auto s = open_store(dir);
    writer w{*s, {}};
    w.checkpoint(1, {{0, "a0"}, {1, "b0"}});
    const auto m2 = w.checkpoint(2, {{0, "a0"}, {1, "b1"}});
    REQUIRE(m2.find(0) != nullptr);
    CHECK(m2.find(0)->stored_in == 1);
    CHECK(m2.find(1)->stored_in == 0);
    CHECK(m2.written_bytes() < m2.snapshot_bytes());
    CHECK_FALSE(std::filesystem::exists(s->snapshot_path(2, 0)));
    CHECK(read_back(*s, 2, 0) == "a0");
    CHECK(read_back(*s, 2, 1) == "b1");
    // A third checkpoint still points at the directory that holds the file.
    const auto m3 = w.checkpoint(3, {{0, "a0"}, {1, "b1"}});
    CHECK(m3.find(0)->stored_in == 1);
    CHECK(m3.find(1)->stored_in == 2);
    std::vector<std::string> problems;
    CHECK(s->verify(m3, problems));
    CHECK(problems.empty());
  }

  TEST_CASE("a body of the same size but other bytes is written, not referenced") {
    temp_dir dir;
    auto s = open_store(dir);
    writer w{*s, {}};
    w.checkpoint(1, {{0, "aaaa"}});
    const auto m2 = w.checkpoint(2, {{0, "aaab"}});
    CHECK(m2.find(0)->stored_in == 0);
    CHECK(read_back(*s, 2, 0) == "aaab");
  }

  TEST_CASE("after an aborted checkpoint its files are written again, not referenced") {
    temp_dir dir;
    auto s = open_store(dir);
    writer w{*s, {}};
    w.checkpoint(1, {{0, "a0"}});
    w.checkpoint(2, {{0, "a1"}}, 3, false);
    REQUIRE(s->abort(2));
    const auto m3 = w.checkpoint(3, {{0, "a1"}});
    CHECK(m3.find(0)->stored_in == 0);
    CHECK(read_back(*s, 3, 0) == "a1");
  }

  TEST_CASE("retention keeps referenced files of retired checkpoints and deletes the rest") {
    temp_dir dir;
    auto s = open_store(dir);
    writer w{*s, {}};
    w.checkpoint(1, {{0, "same"}, {1, "v1"}}, 2);
    w.checkpoint(2, {{0, "same"}, {1, "v2"}}, 2);
    w.checkpoint(3, {{0, "same"}, {1, "v3"}}, 2);
    // 1 is retired: its MANIFEST and kg-1 go, kg-0 stays for 2 and 3.
    CHECK_FALSE(s->is_complete(1));
    CHECK(std::filesystem::exists(s->snapshot_path(1, 0)));
    CHECK_FALSE(std::filesystem::exists(s->snapshot_path(1, 1)));
    CHECK(read_back(*s, 3, 0) == "same");
    w.checkpoint(4, {{0, "new"}, {1, "v3"}}, 2);
    w.checkpoint(5, {{0, "new"}, {1, "v5"}}, 2);
    // Nothing kept references chk-1 or chk-2 any more: both directories are gone.
    CHECK_FALSE(std::filesystem::exists(s->checkpoint_path(1)));
    CHECK_FALSE(std::filesystem::exists(s->checkpoint_path(2)));
    CHECK(std::filesystem::exists(s->snapshot_path(3, 1)));  // checkpoint 4 references it
    std::vector<std::string> log;
    std::string error;
    auto r = test::restorable(*s, std::nullopt, log, error);
    REQUIRE_MESSAGE(r, error);
    CHECK(r->id == 5);
    CHECK(read_back(*s, 5, 0) == "new");
  }

  TEST_CASE("a writer whose referenced file was retired writes the body again") {
    temp_dir dir;
    auto s = open_store(dir);
    writer w{*s, {}};
    w.checkpoint(1, {{0, "same"}}, 1);
    std::filesystem::remove(s->snapshot_path(1, 0));  // lost behind the writer's back
    const auto m2 = w.checkpoint(2, {{0, "same"}}, 1);
    CHECK(m2.find(0)->stored_in == 0);
    CHECK(read_back(*s, 2, 0) == "same");
  }

  TEST_CASE("a corrupt referenced file fails every checkpoint sharing it; restore falls back past them") {
    temp_dir dir;
    auto s = open_store(dir);
    writer w{*s, {}};
    w.checkpoint(1, {{0, "a1"}, {1, "b1"}}, 10);
    w.checkpoint(2, {{0, "a2"}, {1, "b1"}}, 10);  // kg-0 written in chk-2
    w.checkpoint(3, {{0, "a2"}, {1, "b3"}}, 10);  // references chk-2/kg-0.snap
    test::flip_byte(s->snapshot_path(2, 0), -2);
    checkpoint_manifest m3;
    std::string error;
    REQUIRE(s->load_manifest(3, m3));
    std::vector<std::string> problems;
    CHECK_FALSE(s->verify(m3, problems));
    REQUIRE(problems.size() == 1);
    CHECK_MESSAGE(problems[0].find("referenced file of checkpoint 2") != std::string::npos, problems[0]);
    std::vector<std::string> log;
    auto r = test::restorable(*s, std::nullopt, log, error);
    REQUIRE_MESSAGE(r, error);
    CHECK(r->id == 1);
    REQUIRE(log.size() == 2);
    CHECK(log[0].find("checkpoint 3") == 0);
    CHECK(log[1].find("checkpoint 2") == 0);
    CHECK(read_back(*s, 1, 0) == "a1");
  }

  TEST_CASE("commit refuses a reference whose file is missing") {
    temp_dir dir;
    auto s = open_store(dir);
    writer w{*s, {}};
    const auto m1 = w.checkpoint(1, {{0, "a"}});
    checkpoint_manifest m2;
    m2.id = 2;
    m2.catalogue_hash = catalogue;
    snapshot_entry e;
    REQUIRE(s->reference_snapshot(2, 1, *m1.find(0), e));
    m2.snapshots.push_back(e);
    std::filesystem::remove(s->snapshot_path(1, 0));
    std::string warning;
    CHECK_FALSE(s->commit(m2, 3, warning));
    CHECK_FALSE(s->is_complete(2));
  }
}

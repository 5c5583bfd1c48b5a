// Checkpoint lifecycle: retention after commit, ids after crashes, abort, the
// refusal to touch a committed checkpoint, and concurrent snapshot writers.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>

#include "runtime/checkpoint/checkpoint_store.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"
#include "test/support/restorable.hpp"

using namespace rtfeat;
using rtfeat::test::temp_dir;

namespace {

std::unique_ptr<checkpoint_store> open_store(const temp_dir& dir) {
  auto opened = checkpoint_store::open(dir.path(), open_mode::must_exist);
  REQUIRE_MESSAGE(opened, opened.error());
  return std::move(*opened);
}

checkpoint_manifest write_groups(const checkpoint_store& s, uint64_t id, uint32_t groups) {
  checkpoint_manifest m;
  m.id = id;
  for (uint32_t kg = 0; kg < groups; ++kg) {
    snapshot_entry e;
    REQUIRE(s.write_snapshot(id, 0, kg, std::string(100 + kg, 'k'), e));
    m.snapshots.push_back(e);
  }
  return m;
}

void commit(const checkpoint_store& s, const checkpoint_manifest& m, size_t keep = 3) {
  std::string warning;
  REQUIRE(s.commit(m, keep, warning));
  CHECK_MESSAGE(warning.empty(), warning);  // durable and retained: nothing to warn about
}

bool exists(const checkpoint_store& s, uint64_t id) {
  return std::filesystem::exists(s.checkpoint_path(id));
}

}  // namespace

TEST_SUITE("runtime.checkpoint.retention") {
  TEST_CASE("keep=3 deletes only checkpoints older than the newest three complete ones") {
    temp_dir dir;
    auto s = open_store(dir);
    for (uint64_t id = 1; id <= 3; ++id) commit(*s, write_groups(*s, id, 2));
    CHECK((exists(*s, 1) && exists(*s, 2) && exists(*s, 3)));
    write_groups(*s, 4, 2);  // crashed before its commit
    auto five = write_groups(*s, 5, 2);
    write_groups(*s, 6, 1);  // in flight while 5 commits
    commit(*s, five);
    CHECK_FALSE(exists(*s, 1));
    CHECK(exists(*s, 2));
    CHECK(exists(*s, 3));
    CHECK_FALSE(exists(*s, 4));  // partial and older than 5: dead
    CHECK(exists(*s, 5));
    CHECK(exists(*s, 6));  // partial but newer: untouched
    checkpoint_listing all;
    REQUIRE(s->list(all));
    REQUIRE(all.complete.size() == 3);
    CHECK(all.complete[0].id == 5);
    CHECK(all.complete[2].id == 2);
    REQUIRE(all.partial.size() == 1);
    CHECK(all.partial[0].id == 6);
  }
  TEST_CASE("a failed commit deletes nothing") {
    temp_dir dir;
    auto s = open_store(dir);
    for (uint64_t id = 1; id <= 3; ++id) commit(*s, write_groups(*s, id, 1));
    auto four = write_groups(*s, 4, 2);
    std::filesystem::remove(s->snapshot_path(4, 1));
    std::string warning;
    auto committed = s->commit(four, 1, warning);
    REQUIRE_FALSE(committed);
    CHECK(committed.kind() == error_kind::retriable);  // the next checkpoint writes its files anew
    CHECK(committed.message().find("cannot commit checkpoint 4: cannot stat") == 0);
    CHECK((exists(*s, 1) && exists(*s, 2) && exists(*s, 3)));
    CHECK_FALSE(std::filesystem::exists(s->checkpoint_path(4) + "/MANIFEST"));
  }
  TEST_CASE("keep=1 leaves only the new checkpoint") {
    temp_dir dir;
    auto s = open_store(dir);
    commit(*s, write_groups(*s, 1, 1), 1);
    commit(*s, write_groups(*s, 2, 1), 1);
    CHECK_FALSE(exists(*s, 1));
    CHECK(exists(*s, 2));
  }
  TEST_CASE("next_id is one past the highest id, partial ones included") {
    temp_dir dir;
    auto s = open_store(dir);
    CHECK(*s->next_id() == 1u);
    commit(*s, write_groups(*s, 1, 1));
    CHECK(*s->next_id() == 2u);
    write_groups(*s, 2, 1);
    write_groups(*s, 3, 1);
    CHECK(*s->next_id() == 4u);
  }
  TEST_CASE("a committed checkpoint can be neither rewritten, recommitted nor aborted") {
    temp_dir dir;
    auto s = open_store(dir);
    auto m = write_groups(*s, 1, 1);
    commit(*s, m);
    snapshot_entry e;
    std::string warning;
    auto rewritten = s->write_snapshot(1, 0, 0, "x", e);
    REQUIRE_FALSE(rewritten);
    CHECK(rewritten.kind() == error_kind::fatal);  // a broken invariant, not bad luck
    CHECK(rewritten.message() == "checkpoint 1 is already complete");
    auto recommitted = s->commit(m, 3, warning);
    CHECK((!recommitted && recommitted.kind() == error_kind::fatal));
    auto aborted = s->abort(1);
    CHECK((!aborted && aborted.kind() == error_kind::fatal));
    CHECK(exists(*s, 1));
  }
  TEST_CASE("abort removes a partial checkpoint and tolerates a missing one") {
    temp_dir dir;
    auto s = open_store(dir);
    write_groups(*s, 1, 3);
    CHECK(s->abort(1));
    CHECK_FALSE(exists(*s, 1));
    CHECK(s->abort(99));
  }
  TEST_CASE("128 key groups written from 4 threads all verify") {
    temp_dir dir;
    auto s = open_store(dir);
    std::vector<snapshot_entry> entries(128);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (uint32_t t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        for (uint32_t kg = t; kg < 128; kg += 4)
          if (!s->write_snapshot(1, 7, kg, std::string(1000 + kg, static_cast<char>(kg)),
                                 entries[kg]))
            ++failures;
      });
    for (auto& th : threads) th.join();
    REQUIRE(failures == 0);
    checkpoint_manifest m;
    m.id = 1;
    m.catalogue_hash = 7;
    m.snapshots = entries;
    commit(*s, m);
    std::vector<std::string> log;
    std::string error;
    const auto r = test::restorable(*s, std::nullopt, log, error);
    REQUIRE_MESSAGE(r, error);
    CHECK(r->snapshots.size() == 128);
    std::string body;
    REQUIRE(s->read_snapshot(*r, 77, body));
    CHECK(body == std::string(1077, static_cast<char>(77)));
  }
  TEST_CASE("opening a missing directory without create is an error") {
    temp_dir dir;
    auto missing = checkpoint_store::open(dir.path() + "/nope", open_mode::must_exist);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().kind() == error_kind::fatal);
    CHECK(missing.error().message().find("does not exist") != std::string::npos);
    CHECK(checkpoint_store::open(dir.path() + "/a/b", open_mode::create));
  }
}

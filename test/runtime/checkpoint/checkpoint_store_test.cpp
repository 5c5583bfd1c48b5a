// The checkpoint store end to end on a real directory: commit and restore,
// partial checkpoints, fallback past corruption, retention, ids, and concurrent
// snapshot writers. Every test gets its own temporary directory.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "runtime/checkpoint/checkpoint_store.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"

using namespace rtfeat;
using rtfeat::test::temp_dir;

namespace {

constexpr uint64_t catalogue = 0xabcdef0123456789ull;

std::unique_ptr<checkpoint_store> open_store(const temp_dir& dir) {
  std::string error, warning;
  auto store = checkpoint_store::open(dir.path() + "/checkpoints", open_mode::create, error);
  REQUIRE_MESSAGE(store, error);
  return store;
}

std::string body_of(uint64_t id, uint32_t kg) {
  return "state of key group " + std::to_string(kg) + " at checkpoint " + std::to_string(id);
}

/// Writes `groups` key groups of checkpoint `id`; commits unless `commit` is false.
checkpoint_manifest make_checkpoint(const checkpoint_store& s, uint64_t id, uint32_t groups,
                                    bool commit = true, size_t keep = 3) {
  checkpoint_manifest m;
  m.id = id;
  m.created_ms = 1732450000000 + static_cast<int64_t>(id);
  m.catalogue_hash = catalogue;
  std::string error, warning;
  for (uint32_t kg = 0; kg < groups; ++kg) {
    snapshot_entry e;
    REQUIRE_MESSAGE(s.write_snapshot(id, catalogue, kg, body_of(id, kg), e, error), error);
    m.snapshots.push_back(e);
  }
  m.positions = {{"events", 0, static_cast<int64_t>(100 * id), 5000},
                 {"events", 1, 0, std::nullopt}};
  m.meta["nodes"] = "1";
  if (commit) REQUIRE_MESSAGE(s.commit(m, keep, error, warning), error);
  if (commit) CHECK(error.empty());
  return m;
}

}  // namespace

TEST_SUITE("runtime.checkpoint.store") {
  TEST_CASE("a committed checkpoint is listed, restorable, and reads back every key group") {
    temp_dir dir;
    auto s = open_store(dir);
    make_checkpoint(*s, 1, 4);
    checkpoint_listing all;
    std::string error, warning;
    REQUIRE(s->list(all, error));
    REQUIRE(all.complete.size() == 1);
    CHECK(all.partial.empty());
    std::vector<std::string> log;
    const auto m = s->find_restorable(std::nullopt, log, error);
    REQUIRE_MESSAGE(m, error);
    CHECK(log.empty());
    CHECK(m->positions[0].next_offset == 100);
    CHECK_FALSE(m->positions[1].watermark);
    CHECK(m->meta.at("nodes") == "1");
    for (uint32_t kg = 0; kg < 4; ++kg) {
      std::string body;
      REQUIRE_MESSAGE(s->read_snapshot(*m, kg, body, error), error);
      CHECK(body == body_of(1, kg));
    }
    std::string body;
    CHECK_FALSE(s->read_snapshot(*m, 9, body, error));
    CHECK(error == "checkpoint 1 has no snapshot for key group 9");
  }
  TEST_CASE("an empty store has nothing to restore and that is not an error") {
    temp_dir dir;
    auto s = open_store(dir);
    std::vector<std::string> log;
    std::string error, warning;
    CHECK_FALSE(s->find_restorable(std::nullopt, log, error));
    CHECK(error.empty());
    CHECK(s->next_id(error) == 1u);
  }
  TEST_CASE("a checkpoint without MANIFEST is listed as partial and skipped by restore") {
    temp_dir dir;
    auto s = open_store(dir);
    make_checkpoint(*s, 1, 2);
    make_checkpoint(*s, 2, 2, false);
    checkpoint_listing all;
    std::string error, warning;
    REQUIRE(s->list(all, error));
    REQUIRE(all.partial.size() == 1);
    CHECK(all.partial[0].id == 2);
    CHECK(all.partial[0].files == 2);
    std::vector<std::string> log;
    const auto m = s->find_restorable(std::nullopt, log, error);
    REQUIRE(m);
    CHECK(m->id == 1);
    REQUIRE(log.size() == 1);
    CHECK(log[0] == "checkpoint 2: incomplete (no MANIFEST); falling back to checkpoint 1");
  }
  TEST_CASE("a corrupted snapshot in the newest checkpoint falls back to the previous one") {
    temp_dir dir;
    auto s = open_store(dir);
    make_checkpoint(*s, 1, 3);
    make_checkpoint(*s, 2, 3);
    test::flip_byte(s->snapshot_path(2, 1), -3);
    std::vector<std::string> log;
    std::string error, warning;
    const auto m = s->find_restorable(std::nullopt, log, error);
    REQUIRE(m);
    CHECK(m->id == 1);
    REQUIRE(log.size() == 1);
    CHECK(log[0].find("checkpoint 2: kg-1.snap: checksum mismatch (stored 0x") == 0);
    CHECK(log[0].find("; falling back to checkpoint 1") != std::string::npos);
    checkpoint_manifest two;
    REQUIRE(s->load_manifest(2, two, error));
    std::vector<std::string> problems;
    CHECK_FALSE(s->verify(two, problems));
    CHECK(problems.size() == 1);
  }
  TEST_CASE("when every complete checkpoint is damaged, restore fails instead of starting empty") {
    temp_dir dir;
    auto s = open_store(dir);
    make_checkpoint(*s, 1, 2);
    std::filesystem::remove(s->snapshot_path(1, 0));
    std::vector<std::string> log;
    std::string error, warning;
    CHECK_FALSE(s->find_restorable(std::nullopt, log, error));
    CHECK(error.find("no restorable checkpoint") == 0);
    REQUIRE(log.size() == 1);
    CHECK(log[0].find("checkpoint 1: ") == 0);
    CHECK(log[0].find("no older checkpoint") != std::string::npos);
  }
  TEST_CASE("a damaged MANIFEST makes restore fall back") {
    temp_dir dir;
    auto s = open_store(dir);
    make_checkpoint(*s, 1, 1);
    make_checkpoint(*s, 2, 1);
    test::flip_byte(s->checkpoint_path(2) + "/MANIFEST", 30);
    std::vector<std::string> log;
    std::string error, warning;
    const auto m = s->find_restorable(std::nullopt, log, error);
    REQUIRE(m);
    CHECK(m->id == 1);
    REQUIRE(log.size() == 1);
    CHECK(log[0].find("checkpoint 2: MANIFEST: manifest checksum mismatch") == 0);
  }
  TEST_CASE("restoring a given id starts there, and an unknown id is an error") {
    temp_dir dir;
    auto s = open_store(dir);
    make_checkpoint(*s, 1, 1);
    make_checkpoint(*s, 2, 1);
    std::vector<std::string> log;
    std::string error, warning;
    const auto m = s->find_restorable(1, log, error);
    REQUIRE(m);
    CHECK(m->id == 1);
    CHECK_FALSE(s->find_restorable(7, log, error));
    CHECK(error.find("checkpoint 7 does not exist") == 0);
  }
  TEST_CASE("a snapshot with another catalogue hash than its manifest fails verification") {
    temp_dir dir;
    auto s = open_store(dir);
    auto m = make_checkpoint(*s, 1, 2, false);
    snapshot_entry e;
    std::string error, warning;
    REQUIRE(s->write_snapshot(1, catalogue + 1, 1, body_of(1, 1), e, error));
    REQUIRE(s->commit(m, 3, error, warning));
    std::vector<std::string> problems;
    CHECK_FALSE(s->verify(m, problems));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].find("kg-1.snap: catalogue hash 0xabcdef012345678a in the file") == 0);
  }
}

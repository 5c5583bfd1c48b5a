// The checkpoint store end to end on a real directory: commit and restore,
// partial checkpoints, fallback past corruption, retention, ids, and concurrent
// snapshot writers. Every test gets its own temporary directory.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "runtime/checkpoint/checkpoint_store.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"
#include "test/support/restorable.hpp"

using namespace rtfeat;
using rtfeat::test::temp_dir;

namespace {

constexpr uint64_t catalogue = 0xabcdef0123456789ull;

std::unique_ptr<checkpoint_store> open_store(const temp_dir& dir) {
  auto opened = checkpoint_store::open(dir.path() + "/checkpoints", open_mode::create);
  REQUIRE_MESSAGE(opened, opened.error());
  return std::move(*opened);
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
  std::string warning;
  for (uint32_t kg = 0; kg < groups; ++kg) {
    snapshot_entry e;
    REQUIRE(s.write_snapshot(id, catalogue, kg, body_of(id, kg), e));
    m.snapshots.push_back(e);
  }
  m.positions = {{"events", 0, static_cast<int64_t>(100 * id), 5000},
                 {"events", 1, 0, std::nullopt}};
  m.meta["nodes"] = "1";
  if (commit) REQUIRE(s.commit(m, keep, warning));
  return m;
}

}  // namespace

TEST_SUITE("runtime.checkpoint.store") {
  TEST_CASE("a committed checkpoint is listed, restorable, and reads back every key group") {
    temp_dir dir;
    auto s = open_store(dir);
    make_checkpoint(*s, 1, 4);
    checkpoint_listing all;
    std::string error;
    REQUIRE(s->list(all));
    REQUIRE(all.complete.size() == 1);
    CHECK(all.partial.empty());
    std::vector<std::string> log;
    const auto m = test::restorable(*s, std::nullopt, log, error);
    REQUIRE_MESSAGE(m, error);
    CHECK(log.empty());
    CHECK(m->positions[0].next_offset == 100);
    CHECK_FALSE(m->positions[1].watermark);
    CHECK(m->meta.at("nodes") == "1");
    for (uint32_t kg = 0; kg < 4; ++kg) {
      std::string body;
      REQUIRE(s->read_snapshot(*m, kg, body));
      CHECK(body == body_of(1, kg));
    }
    std::string body;
    auto missing = s->read_snapshot(*m, 9, body);
    REQUIRE_FALSE(missing);
    CHECK(missing.kind() == error_kind::bad_input);
    CHECK(missing.message() == "checkpoint 1 has no snapshot for key group 9");
  }
  TEST_CASE("an empty store has nothing to restore and that is not an error") {
    temp_dir dir;
    auto s = open_store(dir);
    std::vector<std::string> log;
    std::string error;
    CHECK_FALSE(test::restorable(*s, std::nullopt, log, error));
    CHECK(error.empty());
    CHECK(*s->next_id() == 1u);
  }
  TEST_CASE("a checkpoint without MANIFEST is listed as partial and skipped by restore") {
    temp_dir dir;
    auto s = open_store(dir);
    make_checkpoint(*s, 1, 2);
    make_checkpoint(*s, 2, 2, false);
    checkpoint_listing all;
    std::string error;
    REQUIRE(s->list(all));
    REQUIRE(all.partial.size() == 1);
    CHECK(all.partial[0].id == 2);
    CHECK(all.partial[0].files == 2);
    std::vector<std::string> log;
    const auto m = test::restorable(*s, std::nullopt, log, error);
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
    std::string error;
    const auto m = test::restorable(*s, std::nullopt, log, error);
    REQUIRE(m);
    CHECK(m->id == 1);
    REQUIRE(log.size() == 1);
    CHECK(log[0].find("checkpoint 2: kg-1.snap: checksum mismatch (stored 0x") == 0);
    CHECK(log[0].find("; falling back to checkpoint 1") != std::string::npos);
    checkpoint_manifest two;
    REQUIRE(s->load_manifest(2, two));
    std::vector<std::string> problems;
    CHECK_FALSE(s->verify(two, problems));
    CHECK(problems.size() == 1);
  }
  TEST_CASE("a restore keeps the wanted bodies of the checkpoint it verified, not of one it fell back from") {
    temp_dir dir;
    auto s = open_store(dir);
    make_checkpoint(*s, 1, 4);
    make_checkpoint(*s, 2, 4);
    test::flip_byte(s->snapshot_path(2, 3), -3);  // checkpoint 2's key group 0 verifies before the bad one
    checkpoint_store::body_keeper keep;
    keep.wanted = [](uint32_t kg) { return kg % 2 == 0; };
    std::vector<std::pair<uint64_t, uint64_t>> heard;
    keep.progress = [&](uint64_t done, uint64_t total) { heard.emplace_back(done, total); };
    std::vector<std::string> log;
    auto found = s->find_restorable(std::nullopt, log, &keep);
    REQUIRE(found);
    REQUIRE(*found);
    CHECK((*found)->id == 1);
    REQUIRE(keep.bodies.size() == 2);
    CHECK(keep.bodies.at(0) == body_of(1, 0));
    CHECK(keep.bodies.at(2) == body_of(1, 2));
    // Progress over both checkpoints tried, ending at the whole of the one restored.
    REQUIRE(heard.size() == 8);
    CHECK(heard.back().first == (*found)->snapshot_bytes());
    CHECK(heard.back().second == (*found)->snapshot_bytes());
  }
  TEST_CASE("a restore that finds no good checkpoint keeps no body") {
    temp_dir dir;
    auto s = open_store(dir);
    make_checkpoint(*s, 1, 2);
    test::flip_byte(s->snapshot_path(1, 1), -3);
    checkpoint_store::body_keeper keep;
    std::vector<std::string> log;
    CHECK_FALSE(s->find_restorable(std::nullopt, log, &keep));
    CHECK(keep.bodies.empty());
  }
  TEST_CASE("when every complete checkpoint is damaged, restore fails instead of starting empty") {
    temp_dir dir;
    auto s = open_store(dir);
    make_checkpoint(*s, 1, 2);
    std::filesystem::remove(s->snapshot_path(1, 0));
    std::vector<std::string> log;
    auto found = s->find_restorable(std::nullopt, log);
    REQUIRE_FALSE(found);
    CHECK(found.error().kind() == error_kind::fatal);  // never a silent start from scratch
    CHECK(found.error().message().find("no restorable checkpoint") == 0);
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
    std::string error;
    const auto m = test::restorable(*s, std::nullopt, log, error);
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
    std::string error;
    const auto m = test::restorable(*s, 1, log, error);
    REQUIRE(m);
    CHECK(m->id == 1);
    auto unknown = s->find_restorable(7, log);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().kind() == error_kind::bad_input);
    CHECK(unknown.error().message().find("checkpoint 7 does not exist") == 0);
  }
  TEST_CASE("a snapshot with another catalogue hash than its manifest fails verification") {
    temp_dir dir;
    auto s = open_store(dir);
    auto m = make_checkpoint(*s, 1, 2, false);
    snapshot_entry e;
    std::string warning;
    REQUIRE(s->write_snapshot(1, catalogue + 1, 1, body_of(1, 1), e));
    REQUIRE(s->commit(m, 3, warning));
    std::vector<std::string> problems;
    CHECK_FALSE(s->verify(m, problems));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].find("kg-1.snap: catalogue hash 0xabcdef012345678a in the file") == 0);
  }
}

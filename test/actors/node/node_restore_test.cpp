// The node's restore choice over a real checkpoint directory: which checkpoint
// `--restore` picks, what it refuses (another catalogue, partition count or
// max_parallelism) and what a rollback ignores. No actor runs.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "actors/node/node_restore.hpp"
#include "runtime/checkpoint/checkpoint_store.hpp"
#include "runtime/checkpoint/shard_state_codec.hpp"
#include "runtime/codec/state_codec.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"

using namespace rtfeat;
using rtfeat::test::temp_dir;

namespace {

constexpr uint64_t catalogue_hash = 0x5eed;

job_config config_in(const temp_dir& dir) {
  job_config cfg;
  cfg.checkpoint_dir = dir.path() + "/checkpoints";
  cfg.checkpoint_interval_ms = 1000;
  cfg.source_partitions = 2;
  cfg.max_parallelism = 4;
  return cfg;
}

feature_catalogue catalogue_with(uint64_t hash) {
  feature_catalogue c;
  c.hash = hash;
  return c;
}

std::string empty_body(uint64_t seq) {
  state_writer w;
  write_body_header(w, 1767225600000, seq, 0);
  return std::string(w.bytes());
}

/// Commits checkpoint `id` with snapshot files 0..files-1 and positions for `partitions` partitions.
void commit_checkpoint(const job_config& cfg, uint64_t id, size_t partitions = 2, uint64_t hash = catalogue_hash,
                       const std::string& max_parallelism = "4", uint32_t files = 2) {
  std::string warning;
  auto opened = checkpoint_store::open(cfg.checkpoint_dir, open_mode::create);
  REQUIRE_MESSAGE(opened, opened.error());
  auto store = std::move(*opened);
  checkpoint_manifest m;
  m.id = id;
  m.catalogue_hash = hash;
  for (uint32_t kg = 0; kg < files; ++kg) {
    snapshot_entry e;
    REQUIRE(store->write_snapshot(id, hash, kg, empty_body(id), e));
    m.snapshots.push_back(e);
  }
  for (size_t p = 0; p < partitions; ++p)
    m.positions.push_back({.topic = "events",
                           .partition = static_cast<int32_t>(p),
                           .next_offset = static_cast<int64_t>(100 * id + p),
                           .watermark = p == 0 ? std::optional<int64_t>(5000 + static_cast<int64_t>(id)) : std::nullopt});
  m.meta["engine.max_parallelism"] = max_parallelism;
  REQUIRE(store->commit(m, 3, warning));
}

}  // namespace

TEST_SUITE("actors.node.restore") {
  TEST_CASE("without checkpoints and without --restore no checkpoint directory is opened") {
    temp_dir dir;
    auto cfg = config_in(dir);
    cfg.checkpoint_interval_ms = 0;
    node::restore_plan plan;
    std::string error;
    CHECK(node::prepare_restore(cfg, catalogue_with(catalogue_hash), "", false, plan, error));
    CHECK_FALSE(plan.store);
    CHECK_FALSE(plan.manifest);
  }

  TEST_CASE("--restore with neither 'latest' nor an id is refused") {
    temp_dir dir;
    node::restore_plan plan;
    std::string error;
    CHECK_FALSE(node::prepare_restore(config_in(dir), catalogue_with(catalogue_hash), "12x", false, plan, error));
    CHECK(error == "--restore: expected 'latest' or a checkpoint id, got '12x'");
  }

  TEST_CASE("--restore latest in an empty directory starts from the beginning") {
    temp_dir dir;
    node::restore_plan plan;
    std::string error;
    CHECK(node::prepare_restore(config_in(dir), catalogue_with(catalogue_hash), "latest", false, plan, error));
    CHECK(plan.store);
    CHECK_FALSE(plan.manifest);
    CHECK(plan.offsets.empty());
  }

  TEST_CASE("--restore latest takes the newest complete checkpoint with its positions and bodies") {
    temp_dir dir;
    auto cfg = config_in(dir);
    commit_checkpoint(cfg, 1);
    commit_checkpoint(cfg, 2);
    node::restore_plan plan;
    std::string error;
    REQUIRE_MESSAGE(node::prepare_restore(cfg, catalogue_with(catalogue_hash), "latest", false, plan, error), error);
    REQUIRE(plan.manifest);
    CHECK(plan.manifest->id == 2);
    CHECK(plan.offsets == std::map<int32_t, int64_t>{{0, 200}, {1, 201}});
    CHECK(plan.watermarks == std::map<int32_t, int64_t>{{0, 5002}});  // partition 1 had none
    REQUIRE(plan.bodies);
    CHECK(plan.bodies->size() == 2);
  }

  TEST_CASE("a cluster node reads only the snapshot files of its own key groups, user and category alike") {
    temp_dir dir;
    auto cfg = config_in(dir);  // max_parallelism 4: user files 0-3, category files 4-7
    commit_checkpoint(cfg, 1, 2, catalogue_hash, "4", 8);
    node::restore_plan plan;
    std::string error;
    REQUIRE_MESSAGE(node::prepare_restore(cfg, catalogue_with(catalogue_hash), "latest", false, plan, error,
                                          node::key_group_range{1, 3}),
                    error);
    REQUIRE(plan.bodies);
    std::vector<uint32_t> read;
    for (const auto& [kg, body] : *plan.bodies) read.push_back(kg);
    CHECK(read == std::vector<uint32_t>{1, 2, 5, 6});
    CHECK(plan.offsets.size() == 2);  // positions of every partition, whoever reads them
  }

  TEST_CASE("--restore ID takes that checkpoint, not the newest") {
    temp_dir dir;
    auto cfg = config_in(dir);
    commit_checkpoint(cfg, 1);
    commit_checkpoint(cfg, 2);
    node::restore_plan plan;
    std::string error;
    REQUIRE_MESSAGE(node::prepare_restore(cfg, catalogue_with(catalogue_hash), "1", false, plan, error), error);
    REQUIRE(plan.manifest);
    CHECK(plan.manifest->id == 1);
    CHECK(plan.offsets.at(0) == 100);
  }

  TEST_CASE("a checkpoint of another feature catalogue is refused unless the change is allowed") {
    temp_dir dir;
    auto cfg = config_in(dir);
    commit_checkpoint(cfg, 1);
    node::restore_plan refused;
    std::string error;
    CHECK_FALSE(node::prepare_restore(cfg, catalogue_with(catalogue_hash + 1), "latest", false, refused, error));
    CHECK(error.find("pass --allow-catalogue-change") != std::string::npos);
    node::restore_plan allowed;
    error.clear();
    CHECK(node::prepare_restore(cfg, catalogue_with(catalogue_hash + 1), "latest", true, allowed, error));
    CHECK(allowed.manifest);
  }

  TEST_CASE("a checkpoint of another partition count or max_parallelism is refused") {
    temp_dir dir;
    auto cfg = config_in(dir);
    commit_checkpoint(cfg, 1, 3);
    node::restore_plan plan;
    std::string error;
    CHECK_FALSE(node::prepare_restore(cfg, catalogue_with(catalogue_hash), "latest", false, plan, error));
    CHECK(error == "checkpoint 1 has 3 partitions, source.partitions is 2");
    commit_checkpoint(cfg, 2, 2, catalogue_hash, "8");
    node::restore_plan other;
    error.clear();
    CHECK_FALSE(node::prepare_restore(cfg, catalogue_with(catalogue_hash), "latest", false, other, error));
    CHECK(error.find("engine.max_parallelism 8, this node has 4") != std::string::npos);
  }

  TEST_CASE("a rollback ignores a checkpoint the job found in the directory when it started") {
    temp_dir dir;
    auto cfg = config_in(dir);
    CHECK(node::checkpoints_before(cfg) == 0);
    commit_checkpoint(cfg, 1);
    commit_checkpoint(cfg, 2);
    CHECK(node::checkpoints_before(cfg) == 2);
    node::restore_plan plan;
    std::string error;
    REQUIRE(node::prepare_restore(cfg, catalogue_with(catalogue_hash), "latest", false, plan, error));
    node::ignore_older(plan, 2);
    CHECK_FALSE(plan.manifest);
    CHECK(plan.offsets.empty());
    CHECK(plan.watermarks.empty());
    CHECK_FALSE(plan.bodies);
    node::restore_plan newer;
    REQUIRE(node::prepare_restore(cfg, catalogue_with(catalogue_hash), "latest", false, newer, error));
    node::ignore_older(newer, 1);  // checkpoint 2 is this job's own
    CHECK(newer.manifest);
    CHECK(newer.offsets.size() == 2);
  }
}

// Committed membership: the config's list until an epoch is committed, the newest
// epoch after; a commit of an epoch already taken fails (fencing); a malformed
// newest file is an error, never a silent fall back to an older epoch.
#include "runtime/cluster/membership.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "config/job_config.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"

using namespace rtfeat;
using rtfeat::test::temp_dir;
namespace fs = std::filesystem;

namespace {

job_config three_nodes(const std::string& dir) {
  job_config cfg;
  cfg.nodes = {{"n1", "127.0.0.1", 4601}, {"n2", "127.0.0.1", 4602}, {"n3", "127.0.0.1", 4603}};
  cfg.checkpoint_dir = dir;
  return cfg;
}

membership without(const membership& m, const std::string& id, uint64_t checkpoint) {
  membership next = m;
  next.epoch = m.epoch + 1;
  std::erase_if(next.members, [&](const cluster_node& n) { return n.id == id; });
  next.checkpoint_id = checkpoint;
  next.created_ms = 1767225600000;
  next.change = "leave " + id;
  return next;
}

}  // namespace

TEST_SUITE("runtime.cluster.membership") {
  TEST_CASE("without a commit the cluster runs with the config's list as epoch 0") {
    temp_dir d;
    auto cfg = three_nodes(d.path());
    auto m = current_membership(cfg.checkpoint_dir, cfg.nodes);
    REQUIRE(m.ok());
    CHECK(m->epoch == 0);
    CHECK(m->ids() == "n1, n2, n3");
    CHECK(m->index_of("n3") == 2);
    CHECK_FALSE(m->index_of("n4").has_value());
  }

  TEST_CASE("a committed epoch replaces the config's list, and the newest epoch wins") {
    temp_dir d;
    auto cfg = three_nodes(d.path());
    auto first = without(*current_membership(cfg.checkpoint_dir, cfg.nodes), "n2", 7);
    REQUIRE(commit_membership(d.path(), first).ok());
    auto m = current_membership(cfg.checkpoint_dir, cfg.nodes);
    REQUIRE(m.ok());
    CHECK(m->epoch == 1);
    CHECK(m->ids() == "n1, n3");
    CHECK(m->checkpoint_id == 7);
    CHECK(m->change == "leave n2");
    REQUIRE(commit_membership(d.path(), without(*m, "n1", 9)).ok());
    m = current_membership(cfg.checkpoint_dir, cfg.nodes);
    CHECK(m->epoch == 2);
    CHECK(m->ids() == "n3");
    CHECK(m->members[0].port == 4603);
  }

  TEST_CASE("an epoch can be committed once: the second committer is fenced") {
    temp_dir d;
    auto cfg = three_nodes(d.path());
    auto base = *current_membership(cfg.checkpoint_dir, cfg.nodes);
    REQUIRE(commit_membership(d.path(), without(base, "n2", 1)).ok());
    auto again = commit_membership(d.path(), without(base, "n3", 1));
    REQUIRE_FALSE(again.ok());
    CHECK(again.kind() == error_kind::retriable);
    CHECK(again.message() == "membership epoch 1 was committed by another node first: this node is fenced and re-reads it");
    CHECK(current_membership(cfg.checkpoint_dir, cfg.nodes)->ids() == "n1, n3");
    int files = 0;
    for (const auto& e : fs::directory_iterator(membership_dir(d.path())))
      files += e.is_regular_file() ? 1 : 0;
    CHECK(files == 1);  // no temporary file left behind
  }

  TEST_CASE("a malformed newest epoch is an error that names the file") {
    temp_dir d;
    auto cfg = three_nodes(d.path());
    REQUIRE(commit_membership(d.path(),
                              without(*current_membership(cfg.checkpoint_dir, cfg.nodes), "n2", 1))
              .ok());
    std::ofstream(membership_dir(d.path()) + "/epoch-2.json") << "{\"epoch\": 2, \"members\": [";
    auto m = current_membership(cfg.checkpoint_dir, cfg.nodes);
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().kind() == error_kind::bad_input);
    CHECK(m.error().message().find("epoch-2.json") != std::string::npos);
  }

  TEST_CASE("the JSON round-trips and bad members are refused") {
    membership m{.epoch = 4,
                 .members = {{"a", "10.0.0.1", 4601}, {"b", "10.0.0.2", 4602}},
                 .checkpoint_id = 12,
                 .created_ms = 5,
                 .change = "leave \"c\""};
    membership back;
    std::string error;
    REQUIRE(parse_membership(membership_json(m), back, error));
    CHECK(back.epoch == 4);
    CHECK(back.ids() == "a, b");
    CHECK(back.members[1].host == "10.0.0.2");
    CHECK(back.change == "leave \"c\"");
    CHECK_FALSE(parse_membership(
      R"({"epoch":1,"members":[{"id":"a/b","host":"h","port":1}],"checkpoint_id":0,)"
      R"("created_ms":0,"change":""})",
      back, error));
    CHECK(error == "members[0].id: 'a/b' is not a node id");
    CHECK_FALSE(parse_membership(
      R"({"epoch":1,"members":[{"id":"a","host":"h","port":1},{"id":"a","host":"h",)"
      R"("port":2}],"checkpoint_id":0,"created_ms":0,"change":""})",
      back, error));
    CHECK(error == "members: 'a' listed twice");
    CHECK_FALSE(parse_membership(
      R"({"epoch":0,"members":[],"checkpoint_id":0,"created_ms":0,"change":""})", back, error));
  }
}

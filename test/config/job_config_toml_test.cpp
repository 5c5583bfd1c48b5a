// job_config_toml: what a launcher writes is what a node reads back, node list,
// quoted strings and all.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "config/cluster_nodes.hpp"
#include "config/job_config.hpp"

using namespace rtfeat;

TEST_SUITE("config.job_config_toml") {
  TEST_CASE("a config written as TOML loads back to the same keys and node list") {
    job_config c;
    std::string error;
    REQUIRE(load_job_config(
      std::string(RTFEAT_SOURCE_DIR) + "/config/cluster.toml",
      {"redis.port=7001", "checkpoint.dir=/tmp/a \"quoted\" dir", "source.partitions=200"}, c,
      error));
    c.nodes.push_back({"n4", "127.0.0.1", 4604});
    auto path = (std::filesystem::temp_directory_path() / "rtfeat_test_written.toml").string();
    std::ofstream(path) << job_config_toml(c);
    job_config back;
    REQUIRE_MESSAGE(load_job_config(path, {}, back, error), error);
    CHECK(back.redis_port == 7001);
    CHECK(back.checkpoint_dir == "/tmp/a \"quoted\" dir");
    CHECK(back.source_partitions == 200);
    CHECK(back.features_file == c.features_file);
    CHECK(back.cluster_peer_timeout_ms == c.cluster_peer_timeout_ms);
    CHECK(cluster_fingerprint(back) == cluster_fingerprint(c));
    REQUIRE(back.nodes.size() == 4);
    CHECK(back.nodes[3].id == "n4");
    CHECK(back.nodes[3].port == 4604);
  }

  TEST_CASE("a single-node config is written without a node list") {
    job_config c;
    auto text = job_config_toml(c);
    CHECK(text.find("[source]") != std::string::npos);
    CHECK(text.find("cluster.node") == std::string::npos);
  }

  TEST_CASE("make_config_paths_absolute anchors path keys only, so a written config works from anywhere") {
    job_config c;
    c.features_file = "config/features.toml";
    c.checkpoint_dir = "var/../checkpoints";
    c.redis_host = "relative-looking-host";
    make_config_paths_absolute(c);
    CHECK(c.features_file == (std::filesystem::current_path() / "config/features.toml").string());
    CHECK(c.checkpoint_dir == (std::filesystem::current_path() / "checkpoints").string());
    CHECK(c.redis_host == "relative-looking-host");  // not a path key
    CHECK(c.source_path.empty());                    // empty stays empty
  }
}

// Cluster configs: the sample loads, and every mistake in [[cluster.node]] or
// --node-id gives an error that names the file, the line and the key.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "config/cluster_nodes.hpp"
#include "config/job_config.hpp"

using namespace rtfeat;

namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("rtfeat_cluster_test_" + name);
  std::ofstream(path) << text;
  return path.string();
}

std::string node(const std::string& id, int port, const std::string& host = "127.0.0.1") {
  return "[[cluster.node]]\nid = \"" + id + "\"\nhost = \"" + host + "\"\nport = " + std::to_string(port) + "\n";
}

std::string load_error(const std::string& text, std::string& path) {
  path = write_temp("bad.toml", text);
  job_config c;
  std::string error;
  CHECK_FALSE(load_job_config(path, {}, c, error));
  return error;
}

}  // namespace

TEST_SUITE("config.cluster") {
  TEST_CASE("the sample cluster config lists three nodes and keeps every single-node key") {
    job_config c;
    std::string error;
    auto path = std::string(RTFEAT_SOURCE_DIR) + "/config/cluster.toml";
    REQUIRE(load_job_config(path, {"redis.port=7000"}, c, error));
    REQUIRE(c.nodes.size() == 3);
    CHECK(c.nodes[1].id == "n2");
    CHECK(c.nodes[1].host == "127.0.0.1");
    CHECK(c.nodes[1].port == 4602);
    CHECK(c.redis_port == 7000);
    CHECK(c.max_parallelism == 128);
    CHECK(c.features_file == std::string(RTFEAT_SOURCE_DIR) + "/config/features.toml");
    size_t index = 9;
    CHECK(select_cluster_node(c, path, "n3", index, error));
    CHECK(index == 2);
  }
  TEST_CASE("a config without a node list is single-node, and host defaults to loopback") {
    job_config c;
    std::string error;
    REQUIRE(load_job_config(std::string(RTFEAT_SOURCE_DIR) + "/config/rtfeat.toml", {}, c, error));
    CHECK(c.nodes.empty());
    size_t index = 9;
    CHECK(select_cluster_node(c, "x.toml", "", index, error));
    CHECK(index == 0);
    auto path = write_temp("one.toml", "[[cluster.node]]\nid = \"a\"\nport = 4000\n");
    REQUIRE(load_job_config(path, {}, c, error));
    REQUIRE(c.nodes.size() == 1);
    CHECK(c.nodes[0].host == "127.0.0.1");
    CHECK(select_cluster_node(c, path, "", index, error));
  }
  TEST_CASE("duplicate ids, duplicate addresses and bad ports are refused with file, line and key") {
    std::string path;
    auto error = load_error(node("n1", 4001) + node("n1", 4002), path);
    CHECK(error == path + ":5: cluster.node[1].id: duplicate node id 'n1' (also cluster.node[0])");
    error = load_error(node("n1", 4001) + node("n2", 4001), path);
    CHECK(error == path + ":5: cluster.node[1]: duplicate address 127.0.0.1:4001 (also cluster.node[0] 'n1')");
    error = load_error(node("n1", 70000), path);
    CHECK(error == path + ":4: cluster.node[0].port: expected 1..65535, got 70000");
    error = load_error("[[cluster.node]]\nid = \"n1\"\nport = \"4001\"\n", path);
    CHECK(error == path + ":3: cluster.node[0].port: expected an integer");
  }
  TEST_CASE("a node on another host may reuse a port") {
    job_config c;
    std::string error;
    auto path = write_temp("hosts.toml", node("n1", 4001) + node("n2", 4001, "10.0.0.2"));
    CHECK(load_job_config(path, {}, c, error));
    CHECK(c.nodes.size() == 2);
  }
  TEST_CASE("missing and unknown node keys are refused") {
    std::string path;
    auto error = load_error("[[cluster.node]]\nhost = \"h\"\nport = 1\n", path);
    CHECK(error == path + ":1: cluster.node[0].id: required");
    error = load_error("[[cluster.node]]\nid = \"a\"\n", path);
    CHECK(error == path + ":1: cluster.node[0].port: required");
    error = load_error("[[cluster.node]]\nid = \"a\"\nport = 1\nprot = 2\n", path);
    CHECK(error == path + ":4: unknown key 'cluster.node[0].prot' (a node has id, host, port)");
    error = load_error("[[cluster.node]]\nid = \"a b\"\nport = 1\n", path);
    CHECK(error == path + ":2: cluster.node[0].id: 'a b' is not a node id (1-64 of A-Z a-z 0-9 _ -)");
    error = load_error("[cluster]\nnode = 3\n", path);
    CHECK(error == path + ":2: cluster.node: expected [[cluster.node]] tables (id, host, port)");
    error = load_error("[cluster]\nconect_timeout_ms = 3\n", path);
    CHECK(error == path + ":2: unknown config key 'cluster.conect_timeout_ms'");
  }
  TEST_CASE("--node-id must name a listed node, and is required when several are listed") {
    job_config c;
    std::string error;
    auto path = write_temp("three.toml", node("n1", 4001) + node("n2", 4002) + node("n3", 4003));
    REQUIRE(load_job_config(path, {}, c, error));
    size_t index = 0;
    CHECK_FALSE(select_cluster_node(c, path, "n9", index, error));
    CHECK(error == path + ": --node-id n9: no [[cluster.node]] has that id (the config lists n1, n2, n3)");
    CHECK_FALSE(select_cluster_node(c, path, "", index, error));
    CHECK(error == path + ": the config lists 3 nodes (n1, n2, n3): pick this process's one with --node-id");
    c.nodes.clear();
    CHECK_FALSE(select_cluster_node(c, path, "n1", index, error));
    CHECK(error == path + ": --node-id n1 given, but the config has no [[cluster.node]] list");
  }
  TEST_CASE("the node list cannot be set with --set") {
    job_config c;
    std::string error;
    CHECK_FALSE(load_job_config("", {"cluster.node=x"}, c, error));
    CHECK(error == "--set: cluster.node is the node list: edit the [[cluster.node]] tables of the config");
  }
}

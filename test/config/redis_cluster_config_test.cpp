// redis.cluster / redis.nodes: loaded from TOML and from --set, refused when
// half-configured, and written back by job_config_toml.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "config/job_config.hpp"

using namespace rtfeat;

namespace {

std::string write_config(const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / "rtfeat_test_redis_cluster.toml";
  std::ofstream(path) << text;
  return path.string();
}

std::string load_error(const std::string& text, const std::vector<std::string>& overrides = {}) {
  job_config c;
  std::string error;
  CHECK_FALSE(load_job_config(write_config(text), overrides, c, error));
  return error;
}

}  // namespace

TEST_SUITE("config.redis_cluster") {
  TEST_CASE("off by default: one Redis at redis.host and redis.port") {
    job_config c;
    std::string error;
    REQUIRE(load_job_config("", {}, c, error));
    CHECK_FALSE(c.redis_cluster);
    CHECK(c.redis_nodes.empty());
  }
  TEST_CASE("the seeds load from the file and from --set") {
    job_config c;
    std::string error;
    REQUIRE(load_job_config(write_config("[redis]\ncluster = true\nnodes = [\"127.0.0.1:7000\", \"h2:7001\"]\n"), {},
                            c, error));
    CHECK(c.redis_cluster);
    CHECK(c.redis_nodes == std::vector<std::string>{"127.0.0.1:7000", "h2:7001"});
    REQUIRE(load_job_config("", {"redis.cluster=true", "redis.nodes=a:1,b:2"}, c, error));
    CHECK(c.redis_nodes == std::vector<std::string>{"a:1", "b:2"});
  }
  TEST_CASE("half a configuration is refused with what is missing") {
    CHECK(load_error("[redis]\ncluster = true\n").find("redis.nodes: required") != std::string::npos);
    CHECK(load_error("[redis]\nnodes = [\"a:1\"]\n").find("only used with redis.cluster = true")
          != std::string::npos);
  }
  TEST_CASE("wrong types and bad seeds are refused") {
    CHECK(load_error("[redis]\ncluster = 1\n").find("redis.cluster: expected true or false") != std::string::npos);
    CHECK(load_error("[redis]\ncluster = true\nnodes = \"a:1\"\n").find("expected an array of strings")
          != std::string::npos);
    CHECK(load_error("[redis]\ncluster = true\nnodes = [1]\n").find("expected an array of strings")
          != std::string::npos);
    for (const auto* bad : {"a", "a:", ":7000", "a:0", "a:70000", "a:7x"})
      CHECK(load_error("", {"redis.cluster=true", std::string("redis.nodes=") + bad}).find("expected \"host:port\"")
            != std::string::npos);
    CHECK(load_error("", {"redis.cluster=yes"}).find("expected true or false") != std::string::npos);
  }
  TEST_CASE("job_config_toml writes them so that a node reads them back") {
    job_config c;
    c.redis_cluster = true;
    c.redis_nodes = {"127.0.0.1:7000", "127.0.0.1:7001"};
    auto path = write_config(job_config_toml(c));
    job_config back;
    std::string error;
    REQUIRE_MESSAGE(load_job_config(path, {}, back, error), error);
    CHECK(back.redis_cluster);
    CHECK(back.redis_nodes == c.redis_nodes);
  }
}

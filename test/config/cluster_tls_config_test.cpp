// The [cluster.tls] keys: all three or none, relative to the config file like
// every path, settable with --set, and a typo inside the section is an error.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "config/job_config.hpp"

using namespace rtfeat;

namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / "rtfeat_tls_config_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name) << text;
  return (dir / name).string();
}

const std::string two_nodes =
  "[[cluster.node]]\nid = \"n1\"\nport = 4001\n[[cluster.node]]\nid = \"n2\"\nport = 4002\n";

}  // namespace

TEST_SUITE("config.cluster_tls") {
  TEST_CASE("without cluster.tls keys the nodes talk plain TCP") {
    job_config c;
    std::string error;
    REQUIRE(load_job_config(write_temp("plain.toml", two_nodes), {}, c, error));
    CHECK_FALSE(has_cluster_tls(c));
  }
  TEST_CASE("a [cluster.tls] section turns TLS on, its paths relative to the config file") {
    auto path = write_temp("tls.toml", "[cluster]\nconnect_timeout_ms = 5000\n" + two_nodes
                                         + "\n[cluster.tls]\ncertificate = \"certs/n1.pem\"\n"
                                           "key = \"certs/n1.key\"\nca_file = \"/etc/rtfeat/ca.pem\"\n");
    job_config c;
    std::string error;
    REQUIRE(load_job_config(path, {}, c, error));
    auto dir = std::filesystem::path(path).parent_path();
    CHECK(has_cluster_tls(c));
    CHECK(c.cluster_tls_certificate == (dir / "certs/n1.pem").string());
    CHECK(c.cluster_tls_key == (dir / "certs/n1.key").string());
    CHECK(c.cluster_tls_ca_file == "/etc/rtfeat/ca.pem");
    CHECK(c.cluster_connect_timeout_ms == 5000);
  }
  TEST_CASE("an inline tls table and --set work the same; --set paths stay as given") {
    auto path = write_temp("inline.toml", "[cluster]\ntls = { certificate = \"a.pem\", key = \"a.key\", "
                                          "ca_file = \"ca.pem\" }\n" + two_nodes);
    job_config c;
    std::string error;
    REQUIRE(load_job_config(path, {"cluster.tls.certificate=n2.pem", "cluster.tls.key=n2.key"}, c, error));
    CHECK(c.cluster_tls_certificate == "n2.pem");
    CHECK(c.cluster_tls_key == "n2.key");
    CHECK(c.cluster_tls_ca_file == (std::filesystem::path(path).parent_path() / "ca.pem").string());
  }
  TEST_CASE("TLS keys set only in part name the missing ones") {
    job_config c;
    std::string error;
    CHECK_FALSE(load_job_config("", {"cluster.tls.certificate=n1.pem"}, c, error));
    CHECK(error
          == "cluster.tls.key, cluster.tls.ca_file: required when cluster.tls.certificate is set (TLS between "
             "nodes needs cluster.tls.certificate, cluster.tls.key and cluster.tls.ca_file, or none of them)");
    CHECK_FALSE(load_job_config("", {"cluster.tls.certificate=n1.pem", "cluster.tls.key=n1.key"}, c, error));
    CHECK(error.starts_with("cluster.tls.ca_file: required when cluster.tls.certificate, cluster.tls.key are set"));
    auto path = write_temp("half.toml", two_nodes + "[cluster.tls]\nca_file = \"ca.pem\"\n");
    CHECK_FALSE(load_job_config(path, {}, c, error));
    CHECK(error.starts_with("cluster.tls.certificate, cluster.tls.key: required when cluster.tls.ca_file is set"));
  }
  TEST_CASE("emptying every TLS key with --set turns TLS off again") {
    auto path =
      write_temp("off.toml", two_nodes + "[cluster.tls]\ncertificate = \"a\"\nkey = \"b\"\nca_file = \"c\"\n");
    job_config c;
    std::string error;
    REQUIRE(load_job_config(path, {"cluster.tls.certificate=", "cluster.tls.key=", "cluster.tls.ca_file="}, c, error));
    CHECK_FALSE(has_cluster_tls(c));
  }
  TEST_CASE("unknown keys inside [cluster.tls] and unknown subsections stay errors") {
    job_config c;
    std::string error;
    auto path = write_temp("typo.toml", "[cluster.tls]\ncertificate = \"a\"\ncafile = \"c\"\n");
    CHECK_FALSE(load_job_config(path, {}, c, error));
    CHECK(error == path + ":3: unknown config key 'cluster.tls.cafile'");
    path = write_temp("sub.toml", "[redis.tls]\ncertificate = \"a\"\n");
    CHECK_FALSE(load_job_config(path, {}, c, error));
    CHECK(error == path + ":1: unknown config key 'redis.tls'");
    CHECK_FALSE(load_job_config("", {"cluster.tls.passphrase=x"}, c, error));
    CHECK(error == "--set: unknown config key 'cluster.tls.passphrase'");
  }
}

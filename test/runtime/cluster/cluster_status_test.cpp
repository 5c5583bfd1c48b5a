// cluster status: lag per member against the newest checkpoint (or the low
// watermark without one), unknown when Kafka did not answer or a partition is
// missing from the checkpoint; the JSON parses and says the same; a port probe
// tells a listening socket from a closed one.
#include "runtime/cluster/cluster_status.hpp"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <simdjson.h>
#include <sys/socket.h>
#include <unistd.h>

#include "runtime/cluster/tcp_probe.hpp"

using namespace rtfeat;

namespace {

job_config two_nodes() {
  job_config cfg;
  cfg.nodes = {{"a", "127.0.0.1", 4601}, {"b", "127.0.0.1", 4602}};
  cfg.source_partitions = 4;
  cfg.max_parallelism = 8;
  return cfg;
}

std::vector<partition_offsets> ends_of(int64_t low, int64_t high) {
  std::vector<partition_offsets> ends;
  ends.reserve(4);
  for (int32_t p = 0; p < 4; ++p) ends.push_back({p, low, high + p});
  return ends;
}

checkpoint_manifest at_offsets(std::vector<int64_t> next) {
  checkpoint_manifest m;
  m.id = 7;
  m.created_ms = 1000;
  m.positions.reserve(next.size());
  for (size_t p = 0; p < next.size(); ++p)
    m.positions.push_back({"events", static_cast<int32_t>(p), next[p], std::nullopt});
  return m;
}

}  // namespace

TEST_SUITE("runtime.cluster.status") {
  TEST_CASE("lag is what each member's partitions hold past the checkpoint") {
    const auto ends = ends_of(0, 100);  // partition p ends at 100 + p
    const auto s =
      describe_cluster(two_nodes(), at_offsets({90, 101, 50, 103}), &ends, {true, false});
    REQUIRE(s.members.size() == 2);
    CHECK(s.members[0].partitions == std::vector<int32_t>{0, 1});
    CHECK(s.members[1].partitions == std::vector<int32_t>{2, 3});
    CHECK((s.members[0].first_key_group == 0 && s.members[0].end_key_group == 4));
    CHECK((s.members[1].first_key_group == 4 && s.members[1].end_key_group == 8));
    CHECK(s.members[0].checkpoint_lag == 10 + 0);
    CHECK(s.members[1].checkpoint_lag == 52 + 0);
    CHECK(s.checkpoint_lag == 62);
    CHECK(s.checkpoint_id == 7u);
    CHECK(s.members[0].reachable == true);
    CHECK(s.members[1].reachable == false);
  }
  TEST_CASE("without a checkpoint a restart reads from the low watermark") {
    const auto ends = ends_of(40, 100);
    const auto s = describe_cluster(two_nodes(), std::nullopt, &ends, {});
    CHECK(s.members[0].checkpoint_lag == (100 - 40) + (101 - 40));
    CHECK_FALSE(s.checkpoint_id);
    CHECK_FALSE(s.members[0].reachable);  // not asked
  }
  TEST_CASE("lag is unknown without Kafka's ends or with a partition the checkpoint lacks") {
    auto s = describe_cluster(two_nodes(), at_offsets({1, 2, 3, 4}), nullptr, {});
    CHECK_FALSE(s.members[0].checkpoint_lag);
    CHECK_FALSE(s.checkpoint_lag);
    const auto ends = ends_of(0, 100);
    s = describe_cluster(two_nodes(), at_offsets({1, 2, 3}), &ends, {});  // no partition 3
    CHECK(s.members[0].checkpoint_lag == 99 + 99);
    CHECK_FALSE(s.members[1].checkpoint_lag);
    CHECK_FALSE(s.checkpoint_lag);
  }
  TEST_CASE("the JSON says what the status holds") {
    const auto ends = ends_of(0, 100);
    const auto s =
      describe_cluster(two_nodes(), at_offsets({90, 101, 50, 103}), &ends, {true, false});
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    REQUIRE(parser.parse(cluster_status_json(s, 3500)).get(doc) == simdjson::SUCCESS);
    CHECK(doc["members"].at(1)["id"].get_string().value() == "b");
    CHECK(doc["members"].at(1)["reachable"].get_bool().value() == false);
    CHECK(doc["members"].at(1)["key_groups"].at(0).get_int64().value() == 4);
    CHECK(doc["members"].at(1)["checkpoint_lag"].get_int64().value() == 52);
    CHECK(doc["checkpoint"]["age_ms"].get_int64().value() == 2500);
    CHECK(doc["checkpoint_lag"].get_int64().value() == 62);
    CHECK(cluster_status_text(s, 3500).find("newest checkpoint: 7, 2.5 s old")
          != std::string::npos);
  }
  TEST_CASE("a port probe tells a listening socket from a closed one") {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd, 4) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    const int port = ntohs(a.sin_port);
    CHECK(tcp_port_open("127.0.0.1", port, 500));
    ::close(fd);
    CHECK_FALSE(tcp_port_open("127.0.0.1", port, 500));
    CHECK_FALSE(tcp_port_open("127.0.0.1", 0, 500));
  }
}

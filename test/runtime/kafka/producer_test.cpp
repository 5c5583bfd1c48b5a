// kafka_producer against an in-process kafka_mock_cluster: keyed messages land in
// partition_of(key) in send order, null keys and 100 KiB payloads are delivered,
// and refused or undeliverable messages are counted as failures with a reason.
#include "runtime/kafka/producer.hpp"

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "runtime/murmur2.hpp"
#include "runtime/tools/kafka/mock_cluster.hpp"

using namespace rtfeat;

namespace {

struct received {
  int32_t partition;
  std::string key, value;
};

// Reads `want` messages from partitions [0, partitions) of `topic` from the start.
// A group.id is required even with assign (cheatsheet gotcha 2).
std::vector<received> consume(const std::string& bootstrap, const char* topic, int partitions,
                              size_t want) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), err, sizeof err);
  rd_kafka_conf_set(conf, "group.id", "producer_test", err, sizeof err);
  rd_kafka_conf_set(conf, "enable.auto.commit", "false", err, sizeof err);
  rd_kafka_t* c = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  REQUIRE(c != nullptr);
  rd_kafka_poll_set_consumer(c);
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions);
  for (int p = 0; p < partitions; ++p)
    rd_kafka_topic_partition_list_add(list, topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  REQUIRE(rd_kafka_assign(c, list) == RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_topic_partition_list_destroy(list);
  std::vector<received> out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (out.size() < want && std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(c, 100);
    if (m == nullptr) continue;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR)
      out.push_back({m->partition, std::string(static_cast<const char*>(m->key), m->key_len),
                     std::string(static_cast<const char*>(m->payload), m->len)});
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(c);
  rd_kafka_destroy(c);
  return out;
}

}  // namespace

TEST_SUITE("runtime.kafka.producer") {
  TEST_CASE("keyed messages land in partition_of(key) and keep their order per partition") {
    std::string error;
    auto cluster = kafka_mock_cluster::create(3, error);
    REQUIRE_MESSAGE(cluster != nullptr, error);
    REQUIRE_MESSAGE(cluster->create_topic("events", 8, error), error);
    auto producer = kafka_producer::create(cluster->bootstraps(), error);
    REQUIRE_MESSAGE(producer != nullptr, error);
    for (int i = 0; i < 1000; ++i)
      REQUIRE(producer->send("events", "u" + std::to_string(i % 97), std::to_string(i)));
    REQUIRE(producer->flush(30000));
    CHECK(producer->delivered() == 1000);
    CHECK(producer->failed() == 0);
    const auto got = consume(cluster->bootstraps(), "events", 8, 1000);
    REQUIRE(got.size() == 1000);
    std::map<int32_t, int> last_in_partition;
    for (const auto& m : got) {
      CHECK(m.partition == partition_of(m.key, 8));
      const int i = std::stoi(m.value);
      CHECK(m.key == "u" + std::to_string(i % 97));
      auto [it, fresh] = last_in_partition.try_emplace(m.partition, i);
      CHECK((fresh || it->second < i));
      it->second = i;
    }
  }

  TEST_CASE("null keys and 100 KiB payloads are delivered") {
    std::string error;
    auto cluster = kafka_mock_cluster::create(1, error);
    REQUIRE(cluster != nullptr);
    REQUIRE(cluster->create_topic("t", 4, error));
    auto producer = kafka_producer::create(cluster->bootstraps(), error);
    REQUIRE(producer != nullptr);
    CHECK(producer->send("t", "", "no key"));
    CHECK(producer->send("t", "u1", std::string(100 * 1024, 'x')));
    REQUIRE(producer->flush(30000));
    CHECK(producer->delivered() == 2);
    const auto got = consume(cluster->bootstraps(), "t", 4, 2);
    REQUIRE(got.size() == 2);
  }

  TEST_CASE("a message above message.max.bytes is refused and counted as failed") {
    std::string error;
    auto producer = kafka_producer::create("127.0.0.1:1", error,
                                           {{"message.max.bytes", "1000"}, {"log_level", "0"}});
    REQUIRE(producer != nullptr);
    CHECK(!producer->send("t", "k", std::string(2000, 'x')));
    CHECK(producer->failed() == 1);
    CHECK(producer->last_error().find("size") != std::string::npos);
  }

  TEST_CASE("messages to an unreachable cluster fail after message.timeout.ms") {
    std::string error;
    auto producer = kafka_producer::create("127.0.0.1:1", error,
                                           {{"message.timeout.ms", "300"}, {"log_level", "0"}});
    REQUIRE(producer != nullptr);
    for (int i = 0; i < 10; ++i) CHECK(producer->send("t", "k", "v"));
    CHECK(producer->flush(10000));
    CHECK(producer->failed() == 10);
    CHECK(producer->delivered() == 0);
    CHECK(!producer->last_error().empty());
  }

  TEST_CASE("a bad configuration is reported, not thrown") {
    std::string error;
    CHECK(kafka_producer::create("x:1", error, {{"no.such.property", "1"}}) == nullptr);
    CHECK(error.find("no.such.property") != std::string::npos);
  }
}

// kafka_consumer::query_offsets against an in-process kafka_mock_cluster: every
// partition's low and high watermark, from one batched request per bound.
#include "runtime/kafka/consumer.hpp"

#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "runtime/kafka/producer.hpp"
#include "runtime/murmur2.hpp"
#include "runtime/tools/kafka/mock_cluster.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.kafka.consumer") {
  TEST_CASE("query_offsets gives each partition's start and end, also for empty partitions") {
    std::string error;
    auto cluster = kafka_mock_cluster::create(3, error);
    REQUIRE_MESSAGE(cluster != nullptr, error);
    REQUIRE_MESSAGE(cluster->create_topic("events", 8, error), error);
    auto producer = kafka_producer::create(cluster->bootstraps(), error);
    REQUIRE_MESSAGE(producer != nullptr, error);
    std::map<int32_t, int64_t> sent;  // partition -> messages; keys miss some partitions
    for (int i = 0; i < 500; ++i) {
      const std::string key = "u" + std::to_string(i % 5);
      REQUIRE(producer->send("events", key, std::to_string(i)));
      ++sent[partition_of(key, 8)];
    }
    REQUIRE(producer->flush(30000));
    REQUIRE(sent.size() < 8);  // an empty partition is covered too

    auto consumer = kafka_consumer::create(cluster->bootstraps(), "offsets_test", error);
    REQUIRE_MESSAGE(consumer != nullptr, error);
    std::vector<partition_offsets> offsets;
    REQUIRE_MESSAGE(consumer->query_offsets("events", 8, offsets, error), error);
    REQUIRE(offsets.size() == 8);
    for (int32_t p = 0; p < 8; ++p) {
      CAPTURE(p);
      CHECK(offsets[static_cast<size_t>(p)].partition == p);
      CHECK(offsets[static_cast<size_t>(p)].low == 0);
      CHECK(offsets[static_cast<size_t>(p)].high == (sent.contains(p) ? sent[p] : 0));
    }
  }
}

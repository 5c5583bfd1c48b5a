// rtfeat::partition_of against librdkafka's own murmur2 partitioner (SPEC §4a):
// the file source and the oracle must pick the partition the Kafka producer picks.
#include "runtime/murmur2.hpp"

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace {

// librdkafka's partitioner needs a topic handle (unused by murmur2, but required).
struct rdkafka_topic {
  rd_kafka_t* rk = nullptr;
  rd_kafka_topic_t* rkt = nullptr;
  rdkafka_topic() {
    char err[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "0", err, sizeof err);  // no "no bootstrap" warning
    rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (rk != nullptr) rkt = rd_kafka_topic_new(rk, "murmur2_test", nullptr);
  }
  ~rdkafka_topic() {
    if (rkt != nullptr) rd_kafka_topic_destroy(rkt);
    if (rk != nullptr) rd_kafka_destroy(rk);
  }
  int32_t partition(const std::string& key, int32_t partitions) const {
    return rd_kafka_msg_partitioner_murmur2(rkt, key.data(), key.size(), partitions, nullptr,
                                            nullptr);
  }
};

std::vector<std::string> test_keys() {
  std::vector<std::string> keys;
  for (int i = 0; i < 5000; ++i) keys.push_back("u" + std::to_string(i));
  std::mt19937_64 rng(42);
  for (int i = 0; i < 5000; ++i) {  // arbitrary bytes, including >= 0x80 in every tail position
    std::string key(static_cast<size_t>(rng() % 41), '\0');
    for (char& c : key) c = static_cast<char>(rng() & 0xff);
    keys.push_back(std::move(key));
  }
  return keys;
}

}  // namespace

TEST_SUITE("runtime.murmur2") {
  TEST_CASE("partition_of agrees with librdkafka's murmur2 partitioner for 10000 keys") {
    rdkafka_topic kafka;
    REQUIRE(kafka.rkt != nullptr);
    const auto keys = test_keys();
    for (int32_t partitions : {1, 2, 3, 7, 8, 32, 100, 128, 1000}) {
      int mismatches = 0;
      for (const auto& key : keys)
        mismatches += rtfeat::partition_of(key, partitions) != kafka.partition(key, partitions);
      CHECK_MESSAGE(mismatches == 0, "partitions=" << partitions);
    }
  }

  TEST_CASE("murmur2 gives the Java client's positive hashes of librdkafka's test vectors") {
    // From librdkafka's rdmurmur2.c unit test, which lists them masked with
    // 0x7fffffff (Java's toPositive); the partitioner with 2^31-1 partitions
    // returns a masked hash unchanged, so this checks librdkafka as well.
    rdkafka_topic kafka;
    REQUIRE(kafka.rkt != nullptr);
    const std::pair<std::string, uint32_t> vectors[] = {
      {"kafka", 1348980580U}, {"amqp", 767747138U}, {"giberish123456789", 257239820U}};
    for (const auto& [key, hash] : vectors) {
      CHECK((rtfeat::murmur2(key) & 0x7fffffffU) == hash);
      CHECK(kafka.partition(key, std::numeric_limits<int32_t>::max())
            == static_cast<int32_t>(hash));
    }
  }
}

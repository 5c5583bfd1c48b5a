// The drill's count of its log per partition: the same partitions the file
// source fills, the fullest one found, and a partition the Kafka mock would
// truncate reported with its numbers.
#include <doctest/doctest.h>

#include <string>

#include "runtime/source/file_source.hpp"
#include "runtime/tools/drill/partition_load.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"

using namespace rtfeat;

namespace {

std::string event(const std::string& user, int i) {
  return R"({"event_id":"e)" + std::to_string(i) + R"(","user_id":")" + user
         + R"(","ts":1700000000000,"type":"click","item_id":"i1"})";
}

}  // namespace

TEST_SUITE("runtime.drill.partition_load") {
  TEST_CASE("the drill counts each partition as the file source fills it") {
    test::temp_dir dir;
    auto path = dir.path() + "/log.jsonl";
    std::string text;
    for (int i = 0; i < 300; ++i) text += event("u" + std::to_string(i % 37), i) + "\n";
    text += "not json\n";  // no user_id: line number mod P, in both
    test::spit(path, text);
    partition_load load;
    std::string error;
    REQUIRE(count_partition_load(path, 5, load, error));
    CHECK(load.total_events() == 301);
    auto sources = open_file_sources(path, 5, {}, error);
    REQUIRE(sources.size() == 5);
    for (size_t p = 0; p < 5; ++p)
      CHECK(load.events[p] == sources[p]->poll(1000, [](int64_t, std::string_view) {}));
    CHECK(load.max_events() == load.events[load.fullest()]);
  }

  TEST_CASE("a hot user's partition past nine tenths of the mock's limits is an overflow") {
    partition_load load;
    load.events = {10, 89000, 10};
    load.bytes = {1000, 4 << 20, 1000};
    CHECK_FALSE(mock_kafka_overflow(load));
    CHECK(load.fullest() == 1);
    load.events[1] = 91000;
    auto why = mock_kafka_overflow(load);
    REQUIRE(why);
    CHECK(*why
          == "partition 1 of 3 would hold 91000 events (4.0 MiB), more than the Kafka mock keeps "
             "(~100 000 messages or 5 MiB per partition)");
    load.events[1] = 20000;
    load.bytes[1] = 5 << 20;  // few events, but large ones
    CHECK(mock_kafka_overflow(load));
  }

  TEST_CASE("an unreadable log is an error naming it") {
    partition_load load;
    std::string error;
    CHECK_FALSE(count_partition_load("/nonexistent/log.jsonl", 4, load, error));
    CHECK(error == "/nonexistent/log.jsonl: cannot open it");
  }
}

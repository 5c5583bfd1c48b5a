// Placement: every partition and key group has exactly one owner, ranges are
// contiguous and even, shard ranges nest in node ranges, and one node is the
// single-node split of job_graph/routing.
#include <doctest/doctest.h>

#include <algorithm>

#include "runtime/cluster/placement.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.cluster.placement") {
  TEST_CASE("three nodes split 32 partitions and 128 key groups in contiguous ranges") {
    placement p(3, 32, 128, 2, 1);
    CHECK(p.partitions_of(0) == std::vector<int32_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    CHECK(p.partitions_of(1).front() == 11);
    CHECK(p.partitions_of(1).back() == 21);
    CHECK(p.partitions_of(2).front() == 22);
    CHECK(p.partitions_of(2).back() == 31);
    CHECK(p.key_groups_of(0) == std::pair<uint32_t, uint32_t>{0, 43});
    CHECK(p.key_groups_of(1) == std::pair<uint32_t, uint32_t>{43, 86});
    CHECK(p.key_groups_of(2) == std::pair<uint32_t, uint32_t>{86, 128});
    CHECK(p.user_shards() == 6);
    CHECK(p.category_shards() == 3);
    CHECK(p.key_groups_of_shard(3, 2).front() == 64);  // node 1's second user shard
    CHECK(p.key_groups_of_shard(3, 2).back() == 85);
    CHECK(p.shard_of_key_group(85, 2) == 3);
    CHECK(p.shard_of_key_group(86, 2) == 4);
  }

  TEST_CASE("one node owns everything and splits its shards like the single-node job") {
    placement p(1, 8, 128, 2, 1);
    CHECK(p.partitions_of(0).size() == 8);
    CHECK(p.key_groups_of(0) == std::pair<uint32_t, uint32_t>{0, 128});
    for (uint32_t g = 0; g < 128; ++g) {
      CHECK(p.shard_of_key_group(g, 2) == g * 2 / 128);  // routing.hpp's shard_table::assign
      CHECK(p.shard_of_key_group(g, 1) == 0);
    }
  }

  TEST_CASE("more nodes than partitions leaves some nodes without a reader") {
    placement p(5, 3, 128, 1, 1);
    size_t total = 0, empty = 0;
    for (uint32_t n = 0; n < 5; ++n) {
      total += p.partitions_of(n).size();
      empty += p.partitions_of(n).empty();
    }
    CHECK(total == 3);
    CHECK(empty == 2);
  }

  TEST_CASE("for many shapes every item has one owner, ranges are even and shards nest in nodes") {
    for (uint32_t nodes : {1u, 2u, 3u, 4u, 5u, 7u})
      for (uint32_t partitions : {1u, 3u, 8u, 32u, 33u})
        for (uint32_t groups : {7u, 64u, 128u, 1000u})
          for (uint32_t per_node : {1u, 2u, 3u}) {
            CAPTURE(nodes);
            CAPTURE(partitions);
            CAPTURE(groups);
            CAPTURE(per_node);
            placement p(nodes, partitions, groups, per_node, per_node);
            std::vector<int32_t> all;
            size_t smallest = SIZE_MAX, largest = 0;
            for (uint32_t n = 0; n < nodes; ++n) {
              auto mine = p.partitions_of(n);
              for (auto part : mine) CHECK(p.node_of_partition(part) == n);
              all.insert(all.end(), mine.begin(), mine.end());
              auto [first, last] = p.key_groups_of(n);
              smallest = std::min<size_t>(smallest, last - first);
              largest = std::max<size_t>(largest, last - first);
            }
            CHECK(all.size() == partitions);
            CHECK(std::is_sorted(all.begin(), all.end()));
            CHECK(largest - smallest <= 1);
            std::vector<int> owners(groups, 0);
            for (uint32_t s = 0; s < nodes * per_node; ++s)
              for (auto g : p.key_groups_of_shard(s, per_node)) {
                ++owners[g];
                CHECK(p.shard_of_key_group(g, per_node) == s);
                CHECK(p.node_of_key_group(g) == s / per_node);  // nested in its node's range
                auto [first, last] = p.key_groups_of(s / per_node);
                CHECK((g >= first && g < last));
              }
            CHECK(std::all_of(owners.begin(), owners.end(), [](int o) { return o == 1; }));
          }
  }
}

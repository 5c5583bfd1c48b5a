// slot_map from CLUSTER SLOTS replies that hiredis's own reader builds from RESP
// bytes, as they would arrive from a node: complete, incomplete and malformed.
#include <doctest/doctest.h>
#include <hiredis/hiredis.h>

#include <memory>
#include <string>

#include "runtime/redis/cluster/key_slot.hpp"
#include "runtime/redis/cluster/slot_map.hpp"

using namespace rtfeat;

namespace {

using reply_ptr = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

/// The reply hiredis reads from `resp` (one whole reply).
reply_ptr read_reply(const std::string& resp) {
  std::unique_ptr<redisReader, decltype(&redisReaderFree)> reader(redisReaderCreate(), &redisReaderFree);
  REQUIRE(redisReaderFeed(reader.get(), resp.data(), resp.size()) == REDIS_OK);
  void* reply = nullptr;
  REQUIRE(redisReaderGetReply(reader.get(), &reply) == REDIS_OK);
  REQUIRE(reply != nullptr);
  return {static_cast<redisReply*>(reply), &freeReplyObject};
}

std::string bulk(const std::string& s) { return "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n"; }
std::string integer(long long i) { return ":" + std::to_string(i) + "\r\n"; }
/// A node as Redis 7 lists it: endpoint, port, id, and an empty metadata map (RESP2: array).
std::string node(const std::string& endpoint, int port) {
  return "*4\r\n" + endpoint + integer(port) + bulk(std::string(40, 'a')) + "*0\r\n";
}
std::string range(int first, int last, const std::vector<std::string>& nodes) {
  std::string out = "*" + std::to_string(2 + nodes.size()) + "\r\n" + integer(first) + integer(last);
  for (const auto& n : nodes) out += n;
  return out;
}
std::string array(const std::vector<std::string>& items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (const auto& i : items) out += i;
  return out;
}

/// The slots `redis-cli --cluster create` gives three masters, each with a replica.
std::string three_masters() {
  return array({range(0, 5460, {node(bulk("127.0.0.1"), 7000), node(bulk("127.0.0.1"), 7003)}),
                range(5461, 10922, {node(bulk("127.0.0.1"), 7001), node(bulk("127.0.0.1"), 7004)}),
                range(10923, 16383, {node(bulk("127.0.0.1"), 7002), node(bulk("127.0.0.1"), 7005)})});
}

slot_map parse_ok(const std::string& resp, std::string_view host = "10.0.0.9") {
  auto reply = read_reply(resp);
  auto parsed = slot_map::from_cluster_slots(reply.get(), host);
  if (auto* e = std::get_if<slot_map_error>(&parsed)) FAIL(e->detail);
  return std::get<slot_map>(std::move(parsed));
}

slot_map_error parse_error(const std::string& resp) {
  auto reply = read_reply(resp);
  auto parsed = slot_map::from_cluster_slots(reply.get(), "10.0.0.9");
  REQUIRE(std::holds_alternative<slot_map_error>(parsed));
  return std::get<slot_map_error>(parsed);
}

node_address local(int port) { return {.host = "127.0.0.1", .port = port}; }

}  // namespace

TEST_SUITE("runtime.redis.cluster.slot_map") {
  TEST_CASE("each slot maps to the master of its range, with that master's replicas") {
    auto map = parse_ok(three_masters());
    CHECK(map.master_of(0) == local(7000));
    CHECK(map.master_of(5460) == local(7000));
    CHECK(map.master_of(5461) == local(7001));
    CHECK(map.master_of(10923) == local(7002));
    CHECK(map.master_of(16383) == local(7002));
    CHECK(map.master_of(key_slot("foo")) == local(7002));  // slot 12182
    CHECK(map.masters() == std::vector{local(7000), local(7001), local(7002)});
    CHECK(map.replicas_of(local(7001)) == std::vector{local(7004)});
  }
  TEST_CASE("a master with several ranges is one master") {
    auto map = parse_ok(array({range(0, 99, {node(bulk("a"), 1)}), range(100, 199, {node(bulk("b"), 2)}),
                               range(200, 16383, {node(bulk("a"), 1)})}));
    CHECK(map.masters() == std::vector<node_address>{{"a", 1}, {"b", 2}});
    CHECK(map.master_of(150) == node_address{"b", 2});
    CHECK(map.master_of(250) == node_address{"a", 1});
  }
  TEST_CASE("a NULL or empty endpoint means the host the reply came from") {
    auto map = parse_ok(array({range(0, 8191, {node("$-1\r\n", 7000)}), range(8192, 16383, {node(bulk(""), 7001)})}),
                        "redis.internal");
    CHECK(map.master_of(0) == node_address{"redis.internal", 7000});
    CHECK(map.master_of(16383) == node_address{"redis.internal", 7001});
  }
  TEST_CASE("set_master moves one slot and leaves its neighbours") {
    auto map = parse_ok(three_masters());
    map.set_master(3999, local(7002));
    CHECK(map.master_of(3999) == local(7002));
    CHECK(map.master_of(3998) == local(7000));
    CHECK(map.master_of(4000) == local(7000));
    map.set_master(3999, {"127.0.0.1", 7009});  // a master no CLUSTER SLOTS listed yet
    CHECK(map.master_of(3999) == local(7009));
    CHECK(map.replicas_of(local(7009)).empty());
    CHECK(map.masters().size() == 4);
  }
  TEST_CASE("a reply that misses slots is incomplete and names them") {
    auto e = parse_error(array({range(0, 5460, {node(bulk("127.0.0.1"), 7000)}),
                                range(10923, 16383, {node(bulk("127.0.0.1"), 7002)})}));
    CHECK(e.kind == slot_map_error_kind::incomplete);
    CHECK(e.detail.find("slots 5461-10922 have no master") != std::string::npos);
    CHECK(parse_error("*0\r\n").kind == slot_map_error_kind::incomplete);  // a node in no cluster yet
  }
  TEST_CASE("malformed replies are refused, not guessed") {
    auto overlap = parse_error(array({range(0, 9000, {node(bulk("a"), 1)}), range(8000, 16383, {node(bulk("b"), 2)})}));
    CHECK(overlap.kind == slot_map_error_kind::malformed);
    CHECK(overlap.detail.find("slot 8000 is in two ranges") != std::string::npos);
    const char* bad[] = {
      "-ERR This instance has cluster support disabled\r\n",
      "+OK\r\n",
      "*1\r\n*2\r\n:0\r\n:16383\r\n",                                           // no master
      "*1\r\n*3\r\n:0\r\n:16384\r\n*2\r\n$1\r\na\r\n:1\r\n",                    // slot out of range
      "*1\r\n*3\r\n:9\r\n:3\r\n*2\r\n$1\r\na\r\n:1\r\n",                        // first > last
      "*1\r\n*3\r\n:0\r\n:16383\r\n*2\r\n$1\r\na\r\n$4\r\n7000\r\n",            // port as a string
      "*1\r\n*3\r\n:0\r\n:16383\r\n*2\r\n$1\r\na\r\n:0\r\n",                    // port 0
      "*1\r\n*3\r\n:0\r\n:16383\r\n*2\r\n$1\r\n?\r\n:7000\r\n",                 // "?": no hostname
      "*1\r\n*3\r\n:0\r\n:16383\r\n$1\r\na\r\n",                                // node not an array
    };
    for (const char* resp : bad) {
      CAPTURE(resp);
      CHECK(parse_error(resp).kind == slot_map_error_kind::malformed);
    }
  }
  TEST_CASE("from_ranges covers each slot exactly once") {
    auto ok = slot_map::from_ranges({{.first = 0, .last = 16383, .master = local(1), .replicas = {}}});
    REQUIRE(std::holds_alternative<slot_map>(ok));
    CHECK(std::get<slot_map>(ok).master_of(16383) == local(1));
    auto short_by_one = slot_map::from_ranges({{.first = 0, .last = 16382, .master = local(1), .replicas = {}}});
    REQUIRE(std::holds_alternative<slot_map_error>(short_by_one));
    CHECK(std::get<slot_map_error>(short_by_one).detail.find("slots 16383-16383") != std::string::npos);
  }
}

// Tests of redis_reader's snapshot and of diff_redis against a real redis-server
// started on a free loopback port: planted differences of every type must be
// found exactly, and equal HyperLogLogs must be equal whatever their encoding.
// Keys are written with redis-cli (hiredis stays inside runtime/redis/).
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "oracle/redis_diff.hpp"
#include "runtime/redis/redis_reader.hpp"
#include "test/oracle/oracle_test_support.hpp"

using namespace rtfeat::oracle::test;
using rtfeat::redis_key_snapshot;
using rtfeat::redis_reader;
using rtfeat::oracle::field_map;
using rtfeat::oracle::hll_value;
using rtfeat::oracle::list_value;
using rtfeat::oracle::string_value;
using rtfeat::oracle::zset_value;

namespace {

constexpr auto list_t = static_cast<size_t>(rtfeat::oracle::value_type::list);
constexpr auto zset_t = static_cast<size_t>(rtfeat::oracle::value_type::zset);
constexpr auto string_t = static_cast<size_t>(rtfeat::oracle::value_type::string);
constexpr auto hll_t = static_cast<size_t>(rtfeat::oracle::value_type::hyperloglog);

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// A throwaway redis-server, shut down (without saving) at the end of the test.
class redis_server {
public:
  redis_server() : port_(free_port()) {
    auto p = std::to_string(port_);
    std::string cmd = "redis-server --port " + p + " --bind 127.0.0.1 --save '' --appendonly no"
                      " --daemonize yes --dir " + dir_.file("") + " --pidfile " + dir_.file("r.pid")
                      + " --logfile " + dir_.file("r.log");
    REQUIRE(std::system(cmd.c_str()) == 0);
    std::string error;
    bool up = false;
    for (int i = 0; i < 100 && !up; ++i) {
      up = reader_.connect("127.0.0.1", port_, 1000, error);
      if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE_MESSAGE(up, error);
  }
  ~redis_server() {
    auto cmd = "redis-cli -p " + std::to_string(port_) + " shutdown nosave >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) MESSAGE("redis-server shutdown failed");
  }

  /// Runs redis-cli with `commands`, one per line.
  void run(const std::string& commands) {
    auto file = dir_.write("commands.txt", commands);
    auto cmd = "redis-cli -p " + std::to_string(port_) + " < " + file + " > /dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
  }

  redis_reader& reader() { return reader_; }

  std::vector<redis_key_snapshot> scan() {
    std::vector<redis_key_snapshot> out;
    std::string error;
    REQUIRE_MESSAGE(reader_.scan_all(out, error), error);
    return out;
  }

private:
  temp_dir dir_;
  int port_;
  redis_reader reader_;
};

}  // namespace

TEST_SUITE("oracle.redis_diff") {
  TEST_CASE("a scan of more keys than one SCAN batch returns each key once with fields and TTL") {
    redis_server redis;
    std::string cmds;
    for (int i = 0; i < 2500; ++i)
      cmds += "HSET h:" + std::to_string(i) + " a 1 b " + std::to_string(i) + "\n";
    cmds += "EXPIRE h:7 100\nSET s:1 x\n";
    redis.run(cmds);
    auto snap = redis.scan();
    REQUIRE(snap.size() == 2501);
    std::map<std::string, const redis_key_snapshot*> by_key;
    for (const auto& s : snap) by_key[s.key] = &s;
    CHECK(by_key.size() == 2501);
    const auto& h7 = *by_key.at("h:7");
    CHECK(h7.type == "hash");
    CHECK(h7.ttl_s > 0);
    CHECK(h7.ttl_s <= 100);
    CHECK(h7.fields.size() == 2);
    CHECK(by_key.at("h:2499")->ttl_s == -1);
    CHECK(by_key.at("s:1")->type == "string");
    CHECK(by_key.at("s:1")->fields.empty());
  }

  TEST_CASE("fields left undefined are not compared, and a key holding only them is not unexpected") {
    redis_server redis;
    rtfeat::oracle::expected_state want;
    want.keys["item:feature:{i1}"] = field_map{{"trend", "1"}};
    want.undefined_fields["item:feature:{i1}"] = {"clicks", "click_pct"};
    want.undefined_fields["item:feature:{i2}"] = {"clicks", "click_pct"};
    want.undefined_fields["item:feature:{i3}"] = {"clicks"};
    redis.run(
      "HSET item:feature:{i1} trend 1 clicks 3 click_pct 75.0000\n"
      "HSET item:feature:{i2} clicks 1\n"
      "HSET item:feature:{i3} clicks 1 other 2\n");
    auto d = rtfeat::oracle::diff_redis(want, redis.scan(), {}, 20);
    CHECK(d.undefined_fields == 4);
    CHECK(d.unexpected_keys == 1);  // i3 still has a field nobody expects
    CHECK(d.total() == 1);
    REQUIRE(d.lines.size() == 1);
    CHECK(d.lines[0].find("item:feature:{i3}") != std::string::npos);
  }

  TEST_CASE("the diff finds exactly the planted differences") {
    redis_server redis;
    rtfeat::oracle::expected_state want;
    want.keys["k:ok"] = field_map{{"a", "1"}, {"b", "2"}};
    want.keys["k:missing"] = field_map{{"a", "1"}};
    want.keys["k:fields"] = field_map{{"same", "1"}, {"changed", "2"}, {"absent", "3"}};
    want.keys["k:type"] = field_map{{"a", "1"}};
    want.keys["k:nottl"] = field_map{{"a", "1"}};
    for (const auto& [key, fields] : want.keys) want.ttl_s[key] = 1800;
    redis.run(
      "HSET k:ok a 1 b 2\nEXPIRE k:ok 1800\n"
      "HSET k:fields same 1 changed 20 extra 4\nEXPIRE k:fields 1800\n"
      "SET k:type 1\nHSET k:nottl a 1\nSET k:other x\n");
    auto d = rtfeat::oracle::diff_redis(want, redis.scan(), {}, 20);
    CHECK(d.redis_keys == 5);
    CHECK(d.missing_keys == 1);
    CHECK(d.unexpected_keys == 1);
    CHECK(d.wrong_type == 1);
    CHECK(d.missing_fields == 1);
    CHECK(d.unexpected_fields == 1);
    CHECK(d.different_values == 1);
    CHECK(d.missing_ttl == 1);
    CHECK(d.total() == 7);
    // Lines come in key order: k:fields (3), k:missing, k:nottl, k:other, k:type.
    REQUIRE(d.lines.size() == 7);
    CHECK(d.lines[0] == "missing field k:fields absent (expected 3)");
    CHECK(d.lines[1] == "different value k:fields changed: expected 2, redis has 20");
    CHECK(d.lines[2] == "unexpected field k:fields extra = 4");
    CHECK(d.lines[3] == "missing key k:missing (1 field(s), e.g. a = 1)");
    CHECK(d.lines[4].starts_with("no ttl k:nottl"));
    CHECK(d.lines[5] == "unexpected key k:other (type string, 1 byte(s))");
    CHECK(d.lines[6] == "wrong type k:type: expected hash, redis has string");
    CHECK(rtfeat::oracle::diff_redis(want, redis.scan(), {}, 2).lines.size() == 2);
  }

  TEST_CASE("a scan reads lists head first, sorted sets with scores and strings as bytes") {
    redis_server redis;
    redis.run("RPUSH l c b a\nZADD z 1700000000001 m2 1700000000000 m1\nSET s 1.5000\n");
    std::map<std::string, redis_key_snapshot> by_key;
    for (auto& s : redis.scan()) by_key[s.key] = s;
    CHECK(by_key.at("l").type == "list");
    CHECK(by_key.at("l").items == std::vector<std::string>{"c", "b", "a"});
    CHECK(by_key.at("z").type == "zset");
    CHECK(by_key.at("z").fields
          == std::vector<std::pair<std::string, std::string>>{{"m1", "1700000000000"},
                                                              {"m2", "1700000000001"}});
    CHECK(by_key.at("s").value == "1.5000");
  }

  TEST_CASE("the diff finds planted list, zset, string and hyperloglog differences") {
    redis_server redis;
    rtfeat::oracle::expected_state want;
    want.keys["l:ok"] = list_value{{"3", "2", "1"}};
    want.keys["l:order"] = list_value{{"3", "2", "1"}};
    want.keys["l:long"] = list_value{{"a"}};
    want.keys["l:type"] = list_value{{"a"}};
    want.keys["z:ok"] = zset_value{{{"a", 1'700'000'000'000}, {"b", 1'700'000'000'001}}};
    want.keys["z:diff"] = zset_value{{{"a", 1}, {"b", 2}, {"c", 3}}};
    want.keys["z:missing"] = zset_value{{{"a", 1}}};
    want.keys["s:ok"] = string_value{"179.7001"};
    want.keys["s:diff"] = string_value{"1.5000"};
    want.keys["h:ok"] = hll_value{{"x", "y", "z"}};
    want.keys["h:diff"] = hll_value{{"x", "y"}};
    want.keys["h:plain"] = hll_value{{"x"}};
    for (const auto& [key, v] : want.keys) want.ttl_s[key] = 100;
    std::string cmds =
      "RPUSH l:ok 3 2 1\nRPUSH l:order 3 1 2\nRPUSH l:long a b\nSET l:type a\n"
      "ZADD z:ok 1700000000000 a 1700000000001 b\nZADD z:diff 1 a 5 b 4 d\n"
      "SET s:ok 179.7001\nSET s:diff 1.5\n"
      "PFADD h:ok z x y\nPFADD h:diff x y w\nSET h:plain x\nPFADD h:extra q\n";
    for (const auto& [key, v] : want.keys)
      if (key != "z:ok") cmds += "EXPIRE " + key + " 100\n";
    redis.run(cmds);
    rtfeat::oracle::hll_reference ref;
    std::string error;
    REQUIRE_MESSAGE(rtfeat::oracle::make_hll_reference(want, redis.reader(), ref, error), error);
    auto d = rtfeat::oracle::diff_redis(want, redis.scan(), ref, 50);
    CHECK(d.redis_keys == 12);  // no scratch key is left behind
    CHECK(d.different_lists == 2);
    CHECK(d.wrong_type == 1);
    CHECK(d.missing_members == 1);
    CHECK(d.unexpected_members == 1);
    CHECK(d.different_scores == 1);
    CHECK(d.missing_ttl == 1);
    CHECK(d.missing_keys == 1);
    CHECK(d.different_strings == 1);
    CHECK(d.different_hyperloglogs == 2);
    CHECK(d.unexpected_keys == 1);
    CHECK(d.by_type == std::array<uint64_t, 6>{0, 3, 5, 1, 3, 0});
    CHECK(d.total() == 12);
    std::vector<std::string> want_lines{
      "different hyperloglog h:diff: ",
      "unexpected key h:extra (type string, ",
      "different hyperloglog h:plain: redis value is not a HyperLogLog (1 bytes)",
      "different list l:long at index 1: expected <end>, redis has b (lengths 1 and 2)",
      "different list l:order at index 1: expected 2, redis has 1 (lengths 3 and 3)",
      "wrong type l:type: expected list, redis has string",
      "different string s:diff: expected 1.5000, redis has 1.5",
      "different score z:diff b: expected 2, redis has 5",
      "missing member z:diff c (expected score 3)",
      "unexpected member z:diff d = 4",
      "missing key z:missing (zset of 1, e.g. a = 1)",
      "no ttl z:ok: expected a TTL (feature ttl 100 s), redis TTL is -1"};
    REQUIRE(d.lines.size() == want_lines.size());
    for (size_t i = 0; i < want_lines.size(); ++i)
      CHECK_MESSAGE(d.lines[i].starts_with(want_lines[i]), d.lines[i]);
  }

  TEST_CASE("equal member sets give equal hyperloglogs whatever the order, encoding or cache") {
    redis_server redis;
    rtfeat::oracle::expected_state want;
    hll_value big;
    std::string add_big = "PFADD h:dense";
    for (int i = 0; i < 300; ++i) big.members.insert("u" + std::to_string(i));
    for (int i = 299; i >= 0; --i) add_big += " u" + std::to_string(i);
    want.keys["h:dense"] = big;
    want.keys["h:cached"] = hll_value{{"a", "b", "c"}};
    want.keys["h:order"] = hll_value{{"a", "b", "c"}};
    // Reverse insertion order; dense encoding; a PFCOUNT that rewrites the cached count.
    redis.run(add_big + "\nPFDEBUG TODENSE h:dense\nPFADD h:cached c\nPFADD h:cached b a\n"
              "PFCOUNT h:cached\nPFADD h:order b\nPFADD h:order c\nPFADD h:order a\n");
    rtfeat::oracle::hll_reference ref;
    std::string error;
    REQUIRE_MESSAGE(rtfeat::oracle::make_hll_reference(want, redis.reader(), ref, error), error);
    auto snap = redis.scan();
    auto d = rtfeat::oracle::diff_redis(want, snap, ref, 10);
    CHECK(d.total() == 0);
    for (const auto& line : d.lines) MESSAGE(line);
    // The raw bytes differ: dense vs the sparse reference, and the cached count.
    for (const auto& s : snap) {
      if (s.key == "h:dense") CHECK(s.value.size() == 16 + 12288);
      if (s.key == "h:dense" || s.key == "h:cached") CHECK(s.value != ref.at(s.key));
    }
    // A set one member short is a difference.
    big.members.erase("u7");
    want.keys["h:dense"] = big;
    ref.clear();
    REQUIRE(rtfeat::oracle::make_hll_reference(want, redis.reader(), ref, error));
    CHECK(rtfeat::oracle::diff_redis(want, redis.scan(), ref, 10).different_hyperloglogs == 1);
  }

  TEST_CASE("an unreachable Redis is an error value naming the address") {
    redis_reader reader;
    std::string error;
    CHECK_FALSE(reader.connect("127.0.0.1", free_port(), 1000, error));
    CHECK(error.find("redis 127.0.0.1:") == 0);
  }

}  // TEST_SUITE

// Tests of redis_reader's snapshot and of diff_redis against a real redis-server
// started on a free loopback port: planted differences must be found exactly.
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

namespace {

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

  TEST_CASE("an unreachable Redis is an error value naming the address") {
    redis_reader reader;
    std::string error;
    CHECK_FALSE(reader.connect("127.0.0.1", free_port(), 1000, error));
    CHECK(error.find("redis 127.0.0.1:") == 0);
  }

}  // TEST_SUITE

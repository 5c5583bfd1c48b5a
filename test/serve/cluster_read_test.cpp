// What the cluster path of serve adds as plain logic: a read batch split back
// into its commands and keys (so that it can be routed by slot), the default
// catalogue's keys of one entity landing in one slot, and redis.nodes parsed.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/redis/cluster/key_slot.hpp"
#include "serve/catalogue/entity_read.hpp"
#include "serve/catalogue/served_catalogue.hpp"
#include "serve/redis/cluster_nodes.hpp"
#include "serve/redis/resp_command.hpp"
#include "serve/redis/resp_split.hpp"

using namespace rtfeat;
using namespace rtfeat::serve;

TEST_SUITE("serve.cluster_read") {
  TEST_CASE("a pipeline's RESP text splits back into its commands, each with its key") {
    std::string text;
    append_command(text, "HGETALL", "user:feature:{u1}");
    append_command(text, "LRANGE", "user:seq:{u1}", "0", "-1");
    append_command(text, "PING");
    append_command(text, "GET", "");  // an empty key is still a key
    std::vector<resp_command_span> out;
    REQUIRE(split_commands(text, out));
    REQUIRE(out.size() == 4);
    CHECK(out[0].key == "user:feature:{u1}");
    CHECK(out[1].key == "user:seq:{u1}");
    CHECK(out[2].key.empty());
    CHECK(out[3].key.empty());
    CHECK(out[0].offset == 0);
    for (size_t i = 0; i + 1 < out.size(); ++i) CHECK(out[i].offset + out[i].length == out[i + 1].offset);
    CHECK(out[3].offset + out[3].length == text.size());
    std::string lrange;
    append_command(lrange, "LRANGE", "user:seq:{u1}", "0", "-1");
    CHECK(text.substr(out[1].offset, out[1].length) == lrange);
  }

  TEST_CASE("a key holding CRLF and binary bytes is taken by its length, not its text") {
    std::string key("a\r\n$3\r\n{x}\0z", 12);
    std::string text;
    append_command(text, "GET", key);
    std::vector<resp_command_span> out;
    REQUIRE(split_commands(text, out));
    REQUIRE(out.size() == 1);
    CHECK(out[0].key == key);
  }

  TEST_CASE("text that is not whole RESP commands is refused") {
    std::vector<resp_command_span> out;
    CHECK_FALSE(split_commands("*1\r\n$4\r\nPIN", out));       // cut short
    CHECK_FALSE(split_commands("*2\r\n$3\r\nGET\r\n", out));   // an argument missing
    CHECK_FALSE(split_commands("+OK\r\n", out));               // a reply, not a command
    CHECK_FALSE(split_commands("*1\r\n$x\r\nGET\r\n", out));   // no length
    CHECK_FALSE(split_commands("*1\r\n$3\r\nGETX\r\n", out));  // longer than its length
    CHECK_FALSE(split_commands("*0\r\n", out));
    out.clear();
    CHECK(split_commands("", out));
    CHECK(out.empty());
  }

  TEST_CASE("every read of one entity of the default catalogue goes to one slot, its id's") {
    feature_catalogue c;
    std::string error;
    REQUIRE(load_feature_catalogue(std::string(RTFEAT_SOURCE_DIR) + "/config/features.toml", c, error));
    served_catalogue s;
    REQUIRE(build_served_catalogue(c, s, error));
    for (const auto& e : s.entities) {
      for (std::string id : {"u42", "i-7", "c3"}) {
        std::string text;
        for (const auto& k : e.keys) append_read_command(text, k, id, false);
        std::vector<resp_command_span> out;
        REQUIRE(split_commands(text, out));
        REQUIRE(out.size() == e.keys.size());
        for (const auto& cmd : out) {
          INFO(cmd.key);
          CHECK(key_slot(cmd.key) == key_slot(id));
        }
      }
    }
  }

  TEST_CASE("redis.nodes seeds parse as host and port, an IPv6 host by its last colon") {
    auto seeds = parse_seeds({"127.0.0.1:7000", "redis-a.example:6379", "::1:7001"});
    REQUIRE(seeds.size() == 3);
    CHECK(seeds[0] == node_address{.host = "127.0.0.1", .port = 7000});
    CHECK(seeds[1] == node_address{.host = "redis-a.example", .port = 6379});
    CHECK(seeds[2] == node_address{.host = "::1", .port = 7001});
  }
}

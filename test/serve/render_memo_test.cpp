// The render memo serves a rendering only for the very replies it was made
// from: a new reply for any key (a write reached the near cache) misses.
#include <doctest/doctest.h>

#include <hiredis/hiredis.h>

#include <cstring>

#include "serve/cache/render_memo.hpp"

using namespace rtfeat::serve;

namespace {

shared_reply reply(const char* value) {
  redisReader* r = redisReaderCreate();
  std::string resp = "$" + std::to_string(strlen(value)) + "\r\n" + value + "\r\n";
  redisReaderFeed(r, resp.data(), resp.size());
  void* out = nullptr;
  redisReaderGetReply(r, &out);
  redisReaderFree(r);
  return share_reply(static_cast<redisReply*>(out));
}

std::vector<key_reply> keys_of(const std::vector<shared_reply>& replies) {
  std::vector<key_reply> keys;
  for (const auto& r : replies) keys.push_back({r.get(), false});
  return keys;
}

rendered_entity rendering(const std::vector<shared_reply>& from, const char* body) {
  render_stats stats;
  stats.requested = 2;
  stats.freshness_ts = 7;
  return {from, body, stats, {1, 0}};
}

}  // namespace

TEST_SUITE("serve.render_memo") {
  TEST_CASE("the same replies find the rendering, with its stats") {
    render_memo m(10);
    std::vector<shared_reply> replies{reply("a"), nullptr, reply("b")};
    std::string key;
    render_memo::key_of(0, {1, 1}, "u1", key);
    m.store(key, rendering(replies, "{\"id\":\"u1\""));
    const auto* hit = m.find(key, keys_of(replies));
    REQUIRE(hit != nullptr);
    CHECK(hit->body == "{\"id\":\"u1\"");
    CHECK(hit->stats.requested == 2);
    CHECK(hit->stats.freshness_ts == 7);
    CHECK(hit->present == std::vector<uint8_t>{1, 0});
  }
  TEST_CASE("a new reply for one key misses, even with the same text") {
    render_memo m(10);
    std::vector<shared_reply> replies{reply("a"), reply("b")};
    std::string key;
    render_memo::key_of(0, {1}, "u1", key);
    m.store(key, rendering(replies, "old"));
    auto now = replies;
    now[1] = reply("b");  // re-read after an invalidation
    CHECK(m.find(key, keys_of(now)) == nullptr);
    // A key read now that was not read then (or the reverse) misses too.
    now = replies;
    now.push_back(reply("c"));
    CHECK(m.find(key, keys_of(now)) == nullptr);
    CHECK(m.find(key, keys_of({replies[0], nullptr})) == nullptr);
  }
  TEST_CASE("the key tells entity types, feature selections and ids apart") {
    std::string a, b, c, d;
    render_memo::key_of(0, {1, 0}, "u1", a);
    render_memo::key_of(1, {1, 0}, "u1", b);
    render_memo::key_of(0, {1, 1}, "u1", c);
    render_memo::key_of(0, {1, 0}, "u2", d);
    CHECK(a != b);
    CHECK(a != c);
    CHECK(a != d);
  }
  TEST_CASE("it never holds more than its bound, and holds the replies it keeps") {
    render_memo m(3);
    std::weak_ptr<const redisReply> first;
    std::string key;
    for (int i = 0; i < 10; ++i) {
      auto r = reply("v");
      if (i == 0) first = r;
      render_memo::key_of(0, {1}, "u" + std::to_string(i), key);
      m.store(key, rendering({r}, "x"));
      CHECK(m.size() <= 3);
    }
    CHECK(m.size() == 3);
    m.clear();
    CHECK(m.size() == 0);
    CHECK(first.expired());  // released with its entry: its address may be reused only now
  }
}

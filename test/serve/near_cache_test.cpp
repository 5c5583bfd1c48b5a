// The near cache's rules for what it may keep: only reads sent while tracking
// was confirmed, never one overtaken by an invalidation, nothing across a flush.
#include <doctest/doctest.h>

#include <hiredis/hiredis.h>

#include <cstring>

#include "serve/cache/near_cache.hpp"

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

std::string text(const shared_reply& r) { return r ? std::string(r->str, r->len) : "<none>"; }

}  // namespace

TEST_SUITE("serve.near_cache") {
  TEST_CASE("a read that completes without an invalidation is kept and found") {
    near_cache c(10);
    c.enable();
    auto t = c.reading("k");
    c.read_done("k", t, reply("v1"));
    CHECK(text(c.find("k")) == "v1");
    c.invalidate("k");
    CHECK(text(c.find("k")) == "<none>");
    CHECK(c.invalidations() == 1);
  }
  TEST_CASE("an invalidation that overtakes the reply keeps it out") {
    near_cache c(10);
    c.enable();
    auto t = c.reading("k");
    c.invalidate("k");  // the write happened after the read was sent: the reply may be older
    c.read_done("k", t, reply("old"));
    CHECK(text(c.find("k")) == "<none>");
    // The next read, after the invalidation, is kept again.
    auto t2 = c.reading("k");
    c.read_done("k", t2, reply("new"));
    CHECK(text(c.find("k")) == "new");
  }
  TEST_CASE("two reads in flight across one invalidation: neither is kept") {
    near_cache c(10);
    c.enable();
    auto a = c.reading("k");
    c.invalidate("k");
    auto b = c.reading("k");
    c.read_done("k", b, reply("b"));
    c.read_done("k", a, reply("a"));
    CHECK(text(c.find("k")) == "<none>");
  }
  TEST_CASE("nothing from before a flush or a re-enable is kept; disabled finds nothing") {
    near_cache c(10);
    c.enable();
    auto t = c.reading("k");
    c.flush();
    c.read_done("k", t, reply("v"));
    CHECK(text(c.find("k")) == "<none>");
    auto t2 = c.reading("k");
    c.enable();  // tracking confirmed again (a new invalidation connection)
    c.read_done("k", t2, reply("v"));
    CHECK(text(c.find("k")) == "<none>");
    auto t3 = c.reading("k");
    c.read_done("k", t3, reply("v"));
    CHECK(text(c.find("k")) == "v");
    c.disable_and_flush();
    CHECK_FALSE(c.enabled());
    CHECK(c.size() == 0);
    CHECK(c.reading("k") == 0);
    CHECK(text(c.find("k")) == "<none>");
  }
  TEST_CASE("an abandoned read (deadline) does not leave the key marked forever") {
    near_cache c(10);
    c.enable();
    auto t = c.reading("k");
    c.invalidate("k");
    c.read_abandoned("k", t);
    auto t2 = c.reading("k");
    c.read_done("k", t2, reply("v"));
    CHECK(text(c.find("k")) == "v");
  }
  TEST_CASE("the least recently used key goes first when full") {
    near_cache c(2);
    c.enable();
    for (const char* k : {"a", "b"}) c.read_done(k, c.reading(k), reply(k));
    CHECK(text(c.find("a")) == "a");  // a is now more recent than b
    c.read_done("c", c.reading("c"), reply("c"));
    CHECK(c.size() == 2);
    CHECK(text(c.find("b")) == "<none>");
    CHECK(text(c.find("a")) == "a");
    CHECK(text(c.find("c")) == "c");
  }
}

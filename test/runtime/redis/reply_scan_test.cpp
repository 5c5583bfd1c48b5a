// Scanning replies through hiredis's parser without reply objects.
#include <doctest/doctest.h>
#include <hiredis/hiredis.h>

#include <string>

#include "runtime/redis/reply_scan.hpp"

using namespace rtfeat;

namespace {

struct scanning_reader {
  redisReader* r = redisReaderCreate();
  reply_scan scan;
  scanning_reader() { scan_replies_into(r, scan); }
  ~scanning_reader() { redisReaderFree(r); }
  scanning_reader(const scanning_reader&) = delete;
  scanning_reader& operator=(const scanning_reader&) = delete;

  /// Feeds `resp` and reads one reply; false when none is complete yet.
  bool next(const std::string& resp = "") {
    if (!resp.empty()) REQUIRE(redisReaderFeed(r, resp.data(), resp.size()) == REDIS_OK);
    void* reply = nullptr;
    REQUIRE(redisReaderGetReply(r, &reply) == REDIS_OK);
    return reply != nullptr;
  }
};

}  // namespace

TEST_SUITE("runtime.reply_scan") {
  TEST_CASE("plain replies: no error, a bulk string only when it is one") {
    scanning_reader s;
    for (const char* resp : {"+OK\r\n", ":42\r\n", "$-1\r\n", "*-1\r\n", "*0\r\n"}) {
      REQUIRE(s.next(resp));
      CHECK_FALSE(s.scan.error);
      CHECK_FALSE(s.scan.has_string);
    }
    REQUIRE(s.next("$5\r\nab\r\nc\r\n"));
    CHECK(s.scan.has_string);
    CHECK(s.scan.string == std::string("ab\r\nc"));
    REQUIRE(s.next("$0\r\n\r\n"));  // an empty string is a string, not nil
    CHECK(s.scan.has_string);
    CHECK(s.scan.string.empty());
    REQUIRE(s.next(":1\r\n"));  // each reply starts afresh
    CHECK_FALSE(s.scan.has_string);
  }
  TEST_CASE("errors: the reply's own text, or one nested in EXEC's array") {
    scanning_reader s;
    REQUIRE(s.next("-WRONGTYPE Operation against a key\r\n"));
    CHECK(s.scan.error);
    CHECK_FALSE(s.scan.nested_error);
    CHECK(s.scan.error_text == "WRONGTYPE Operation against a key");
    REQUIRE(s.next("*3\r\n:1\r\n-ERR first\r\n*2\r\n+OK\r\n-ERR deeper\r\n"));
    CHECK(s.scan.error);
    CHECK(s.scan.nested_error);
    CHECK(s.scan.error_text == "ERR first");
    CHECK_FALSE(s.scan.has_string);  // strings inside arrays are not the reply's
    REQUIRE(s.next("*2\r\n$1\r\nx\r\n:3\r\n"));
    CHECK_FALSE(s.scan.error);
    CHECK_FALSE(s.scan.has_string);
  }
  TEST_CASE("a reply split across reads is scanned once it is whole") {
    scanning_reader s;
    CHECK_FALSE(s.next("*2\r\n+QUEUED\r\n-ERR"));
    CHECK(s.next(" late\r\n"));
    CHECK(s.scan.error);
    CHECK(s.scan.error_text == "ERR late");
    CHECK_FALSE(s.next("$3\r\nab"));
    CHECK(s.next("c\r\n"));
    CHECK_FALSE(s.scan.error);
    CHECK(s.scan.string == "abc");
  }
}

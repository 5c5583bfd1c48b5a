// status and result: an error keeps its kind through prefixing and printing,
// and success carries neither kind nor message.
#include "runtime/status.hpp"

#include <memory>
#include <sstream>

#include <doctest/doctest.h>

using namespace rtfeat;

TEST_SUITE("runtime.status") {
  TEST_CASE("success has no message and prints as ok") {
    status ok;
    CHECK(ok.ok());
    CHECK(static_cast<bool>(ok));
    CHECK(ok.message().empty());
    std::ostringstream os;
    os << ok;
    CHECK(os.str() == "ok");
  }
  TEST_CASE("each kind is kept, also through prefixed") {
    const auto retry = status::retriable("disk full");
    const auto bad = status::bad_input("kg-3.snap: checksum mismatch");
    const auto stop = status::fatal("no restorable checkpoint");
    CHECK_FALSE(retry);
    CHECK(retry.kind() == error_kind::retriable);
    CHECK(bad.kind() == error_kind::bad_input);
    CHECK(stop.kind() == error_kind::fatal);
    const auto in_context = bad.prefixed("checkpoint 4: ");
    CHECK(in_context.kind() == error_kind::bad_input);
    CHECK(in_context.message() == "checkpoint 4: kg-3.snap: checksum mismatch");
    CHECK(status{}.prefixed("checkpoint 4: ").ok());
    std::ostringstream os;
    os << retry;
    CHECK(os.str() == "retriable: disk full");
  }
  TEST_CASE("a result holds a value or the error, and moves out a move-only value") {
    result<std::unique_ptr<int>> got = std::make_unique<int>(7);
    REQUIRE(got);
    CHECK(got.error().ok());
    std::unique_ptr<int> taken = std::move(*got);
    CHECK(*taken == 7);
    result<int> failed = status::fatal("gone");
    CHECK_FALSE(failed);
    CHECK(failed.error().kind() == error_kind::fatal);
    CHECK(failed.error().message() == "gone");
  }
}

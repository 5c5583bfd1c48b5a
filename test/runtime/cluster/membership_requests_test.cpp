// Membership change requests: filed and listed oldest first, dropped once acted
// on; the epoch a leave or a join leads to, and the ones refused with why.
#include "runtime/cluster/membership_requests.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <thread>

#include "test/runtime/checkpoint/temp_dir.hpp"

using namespace rtfeat;
using rtfeat::test::temp_dir;

namespace {

membership members(uint64_t epoch, std::vector<cluster_node> nodes) {
  membership m;
  m.epoch = epoch;
  m.members = std::move(nodes);
  return m;
}

const membership three =
  members(4, {{"n1", "127.0.0.1", 4601}, {"n2", "127.0.0.1", 4602}, {"n3", "127.0.0.1", 4603}});

membership_request leave(const std::string& id) {
  membership_request r;
  r.node.id = id;
  return r;
}
membership_request join(const std::string& id, int64_t port) {
  membership_request r;
  r.what = membership_request::kind::join;
  r.node = {id, "127.0.0.1", port};
  return r;
}

}  // namespace

TEST_SUITE("runtime.cluster.membership_requests") {
  TEST_CASE("requests are listed oldest first until dropped; asking twice is one request") {
    temp_dir d;
    CHECK(pending_requests(d.path()).empty());
    REQUIRE(file_request(d.path(), leave("n2")).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // distinct modification times
    REQUIRE(file_request(d.path(), join("n4", 4604)).ok());
    REQUIRE(file_request(d.path(), join("n4", 4604)).ok());
    auto all = pending_requests(d.path());
    REQUIRE(all.size() == 2);
    CHECK(all[0].text() == "leave n2");
    CHECK(all[1].text() == "join n4 (127.0.0.1:4604)");
    CHECK(all[1].node.port == 4604);
    drop_request(d.path(), all[0]);
    all = pending_requests(d.path());
    REQUIRE(all.size() == 1);
    CHECK(all[0].what == membership_request::kind::join);
  }

  TEST_CASE("a bad id or address is refused; a malformed file is skipped") {
    temp_dir d;
    CHECK(file_request(d.path(), leave("../n2")).kind() == error_kind::bad_input);
    CHECK(file_request(d.path(), join("n4", 0)).kind() == error_kind::bad_input);
    REQUIRE(file_request(d.path(), leave("n2")).ok());
    std::ofstream(membership_dir(d.path()) + "/requests/join-n9") << "no port here\n";
    std::ofstream(membership_dir(d.path()) + "/requests/stray.txt") << "x\n";
    auto all = pending_requests(d.path());
    REQUIRE(all.size() == 1);
    CHECK(all[0].node.id == "n2");
  }

  TEST_CASE("a leave removes the member, a join appends the node; both name the checkpoint") {
    std::string why;
    auto after_leave = next_membership(three, leave("n1"), 17, 99, why);
    REQUIRE(after_leave);
    CHECK(after_leave->epoch == 5);
    CHECK(after_leave->ids() == "n2, n3");  // n2 is member 0 now: it runs the coordinator
    CHECK(after_leave->checkpoint_id == 17);
    CHECK(after_leave->created_ms == 99);
    CHECK(after_leave->change == "leave n1");
    auto after_join = next_membership(three, join("n4", 4604), 18, 100, why);
    REQUIRE(after_join);
    CHECK(after_join->ids() == "n1, n2, n3, n4");
    CHECK(after_join->members[3].port == 4604);
    CHECK(after_join->change == "join n4 (127.0.0.1:4604)");
  }

  TEST_CASE("requests that cannot be honoured say why") {
    std::string why;
    CHECK_FALSE(next_membership(three, leave("n9"), 1, 0, why));
    CHECK(why == "'n9' is not a member: membership epoch 4 lists n1, n2, n3");
    CHECK_FALSE(next_membership(members(1, {{"n1", "h", 1}}), leave("n1"), 1, 0, why));
    CHECK(why == "'n1' is the last member");
    CHECK_FALSE(next_membership(three, join("n2", 4699), 1, 0, why));
    CHECK(why == "'n2' is a member already: membership epoch 4 lists n1, n2, n3");
    CHECK_FALSE(next_membership(three, join("n4", 4603), 1, 0, why));
    CHECK(why == "member 'n3' has the address 127.0.0.1:4603");
  }
}

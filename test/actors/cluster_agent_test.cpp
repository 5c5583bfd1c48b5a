// The cluster agent's protocol, driven deterministically (CAF's testing
// scheduler; the listener, coordinator and peers are scoped actors): relayed
// reports wait for the coordinator, node 0 starts the coordinator with every
// node's readers in job order and ends the job once every node finished, and a
// hello must answer a fresh challenge with the secret.
#include <doctest/doctest.h>

#include "caf/all.hpp"
#include "actors/atoms.hpp"
#include "actors/cluster_agent.hpp"
#include "actors/messages.hpp"
#include "test/support/caf_test_system.hpp"

using namespace rtfeat;

namespace {

const std::vector<cluster_node> three{{"n1", "127.0.0.1", 1}, {"n2", "127.0.0.1", 2}, {"n3", "127.0.0.1", 3}};

struct fixture : test::caf_test_system {
  std::unique_ptr<caf::scoped_actor> listener, coordinator, peer1, peer2;
  fixture() {
    for (auto* a : {&listener, &coordinator, &peer1, &peer2}) *a = std::make_unique<caf::scoped_actor>(*sys);
  }
  static caf::actor handle(std::unique_ptr<caf::scoped_actor>& a) { return caf::actor_cast<caf::actor>(*a); }
  std::vector<caf::actor> agents;
  ~fixture() {  // the system's destructor waits for every actor: end them whatever the test did
    for (const auto& a : agents) caf::anon_send_exit(a, caf::exit_reason::kill);
    sched->run();
  }
  caf::actor agent(const std::string& secret = "") {
    agents.push_back(sys->spawn(cluster_agent, cluster_agent_settings{.nodes = three,
                                                                      .secret = secret,
                                                                      .listener = handle(listener),
                                                                      .checkpoint_dir = {},
                                                                      .epoch = 0}));
    return agents.back();
  }
  node_hello hello(uint32_t node, caf::actor agent_handle, caf::actor coord = {}) {
    node_hello h;
    h.who = {node, three[node].id, "fp", 7, 0, 0, "", "", ""};
    h.agent = std::move(agent_handle);
    h.coordinator = std::move(coord);
    return h;
  }
  /// Handles the next message of `a` with `f` if there is one now (nothing is waited for).
  template <class F>
  static void poll(std::unique_ptr<caf::scoped_actor>& a, F f) {
    (*a)->receive(f, caf::after(std::chrono::seconds(0)) >> [] {});
  }
};

}  // namespace

TEST_SUITE("actors.cluster_agent") {
  TEST_CASE("a node's reports wait for the coordinator and then reach it in order") {
    fixture t;
    auto a = t.agent();
    caf::anon_send(a, start_atom::value, t.hello(1, a));
    caf::anon_send(a, reader_position{3, 7, 100, 5, 0});
    caf::anon_send(a, end_atom::value, uint32_t{7});
    t.sched->run();
    bool early = false, position = false, end = false;
    fixture::poll(t.coordinator, [&](const reader_position&) { early = true; });
    CHECK_FALSE(early);
    caf::anon_send(a, peer_atom::value, t.hello(0, fixture::handle(t.peer1), fixture::handle(t.coordinator)));
    t.sched->run();
    fixture::poll(t.coordinator, [&](const reader_position& p) { position = p.next_offset == 100; });
    fixture::poll(t.coordinator, [&](end_atom, uint32_t r) { end = r == 7; });
    CHECK(position);
    CHECK(end);
  }

  TEST_CASE("node 0 starts the coordinator with every node's readers in job order, and ends the job") {
    fixture t;
    auto a = t.agent();
    caf::anon_send(a, start_atom::value, t.hello(0, a, fixture::handle(t.coordinator)));
    caf::anon_send(a, peer_atom::value, t.hello(1, fixture::handle(t.peer1)));
    caf::anon_send(a, peer_atom::value, t.hello(2, fixture::handle(t.peer2)));
    auto r = [&](std::unique_ptr<caf::scoped_actor>& x) { return std::vector<caf::actor>{fixture::handle(x)}; };
    caf::anon_send(a, readers_atom::value, uint32_t{2}, r(t.peer2));
    caf::anon_send(a, readers_atom::value, uint32_t{0}, std::vector<caf::actor>{});  // no partitions here
    t.sched->run();
    bool started_early = false, started = false;
    fixture::poll(t.coordinator, [&](start_atom, const std::vector<caf::actor>&) { started_early = true; });
    CHECK_FALSE(started_early);
    caf::anon_send(a, readers_atom::value, uint32_t{1}, r(t.peer1));
    t.sched->run();
    fixture::poll(t.coordinator, [&](start_atom, const std::vector<caf::actor>& all) {
      started = all == std::vector<caf::actor>{fixture::handle(t.peer1), fixture::handle(t.peer2)};
    });
    CHECK(started);
    for (uint32_t n : {0u, 2u}) caf::anon_send(a, finished_atom::value, n);
    t.sched->run();
    bool done_early = false;
    fixture::poll(t.listener, [&](done_atom) { done_early = true; });
    CHECK_FALSE(done_early);
    caf::anon_send(a, finished_atom::value, uint32_t{1});
    t.sched->run();
    for (auto* x : {&t.listener, &t.peer1, &t.peer2}) {
      bool done = false;
      fixture::poll(*x, [&](done_atom) { done = true; });
      CHECK(done);
    }
  }

  TEST_CASE("a hello must answer a fresh challenge with the secret, and each challenge works once") {
    fixture t;
    auto a = t.agent("s3cret");
    caf::anon_send(a, start_atom::value, t.hello(0, a, fixture::handle(t.coordinator)));
    t.sched->run();
    auto& self = *t.peer1;
    auto challenge = [&] {
      std::string c;
      self->send(a, challenge_atom::value);  // a plain send: the answer comes back as a message
      t.sched->run();
      self->receive([&](std::string& s) { c = s; }, caf::after(std::chrono::seconds(0)) >> [] {});
      return c;
    };
    auto try_hello = [&](const std::string& secret, const std::string& c) {
      auto h = t.hello(1, fixture::handle(t.peer1));
      h.who.nonce = "peer-nonce";
      sign_identity(h.who, secret, c);
      bool welcome = false;
      self->send(a, hello_atom::value, h);
      t.sched->run();
      self->receive([&](node_hello& reply) { welcome = reply.who.challenge == "peer-nonce"; },
                    [&](caf::error&) { welcome = false; }, caf::after(std::chrono::seconds(0)) >> [] {});
      return welcome;
    };
    auto c1 = challenge();
    REQUIRE(c1.size() == 32);
    CHECK_FALSE(try_hello("wrong", c1));
    CHECK_FALSE(try_hello("s3cret", c1));  // already used by the refused attempt
    auto c2 = challenge();
    CHECK(try_hello("s3cret", c2));
    bool told = false;
    fixture::poll(t.listener, [&](peer_atom, const node_hello& h) { told = h.who.node_id == "n2"; });
    CHECK(told);
  }
}

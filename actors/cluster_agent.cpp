// Cluster agent (see cluster_agent.hpp). Handlers stay short; the handshake
// rules are plain C++ in runtime/cluster/peer_identity.
#include "actors/cluster_agent.hpp"

#include <algorithm>
#include <iostream>

#include "actors/atoms.hpp"
#include "actors/messages.hpp"
#include "caf/all.hpp"
#include "runtime/clock.hpp"
#include "runtime/cluster/membership.hpp"
#include "runtime/cluster/membership_requests.hpp"
#include "runtime/crypto/hmac.hpp"

namespace rtfeat {

namespace {

using agent_actor = caf::stateful_actor<cluster_agent_state>*;
constexpr size_t max_open_challenges = 256;  // a process asking for many cannot grow us

/// Reports for the coordinator go there directly once it is known.
void relay(agent_actor self, caf::message msg) {
  auto& st = self->state;
  if (!st.coordinator) return st.relayed.push_back(std::move(msg));
  self->send(st.coordinator, std::move(msg));
}

void set_coordinator(agent_actor self, const caf::actor& coordinator) {
  auto& st = self->state;
  if (!coordinator || st.coordinator) return;
  st.coordinator = coordinator;
  for (auto& m : st.relayed) self->send(coordinator, std::move(m));
  st.relayed.clear();
}

void add_peer(agent_actor self, const node_hello& h) {
  auto& st = self->state;
  if (st.joined.at(h.who.node)) return;
  st.joined[h.who.node] = true;
  st.peers[h.who.node] = h;
  self->monitor(h.agent);
  if (h.who.node == 0) set_coordinator(self, h.coordinator);
}

/// A peer's hello answers one of our challenges (each is used once) and proves
/// the secret; then it must agree with us on everything placement depends on.
caf::result<node_hello> on_hello(agent_actor self, const node_hello& theirs) {
  auto& st = self->state;
  if (!st.started) return caf::make_error(caf::sec::request_receiver_down, "node is starting");
  auto it = std::find(st.challenges.begin(), st.challenges.end(), theirs.who.challenge);
  std::string challenge;
  if (it != st.challenges.end()) challenge = *it, st.challenges.erase(it);
  auto why = refuse_reason(st.mine.who, theirs.who, st.cfg.nodes, st.cfg.secret, challenge);
  if (!why.empty()) {
    std::cerr << "cluster: refused a peer: " << why << "\n";
    // A checkpoint committed while the nodes chose: the one with the older choice chooses again.
    const auto& me = st.mine.who;
    if (is_restore_mismatch(why)
        && (theirs.who.epoch > me.epoch
            || (theirs.who.epoch == me.epoch && theirs.who.restore_id > me.restore_id)))
      self->send(st.cfg.listener, stale_atom::value);
    return caf::make_error(caf::sec::invalid_argument, "refused by node '" + st.mine.who.node_id + "': " + why);
  }
  add_peer(self, theirs);
  self->send(st.cfg.listener, peer_atom::value, theirs);
  auto reply = st.mine;
  sign_identity(reply.who, st.cfg.secret, theirs.who.nonce);
  return reply;
}

/// Node 0: every node reported its readers; they are the coordinator's, in job order.
void on_readers(agent_actor self, uint32_t node, std::vector<caf::actor>& readers) {
  auto& st = self->state;
  if (node >= st.readers.size() || st.readers_in[node]) return;
  st.readers_in[node] = true;
  st.readers[node] = std::move(readers);
  if (++st.readers_reported < st.readers.size()) return;
  std::vector<caf::actor> all;
  for (auto& r : st.readers) all.insert(all.end(), r.begin(), r.end());
  self->send(st.coordinator, start_atom::value, std::move(all));
}

/// Node 0: every node's sinks wrote everything: tell every node to exit.
void on_finished(agent_actor self, uint32_t node) {
  auto& st = self->state;
  if (node >= st.finished.size() || st.finished[node]) return;
  st.finished[node] = true;
  for (bool f : st.finished)
    if (!f) return;
  st.done = true;
  for (size_t n = 1; n < st.peers.size(); ++n) self->send(st.peers[n].agent, done_atom::value);
  self->send(st.cfg.listener, done_atom::value);
}

/// Every node, this one included, ends its attempt and runs with the newest epoch.
void announce_epoch(agent_actor self, uint64_t epoch) {
  auto& st = self->state;
  for (size_t i = 0; i < st.peers.size(); ++i)
    if (st.joined[i] && i != st.mine.who.node)
      self->send(st.peers[i].agent, membership_atom::value, epoch);
  self->send(st.cfg.listener, membership_atom::value, epoch);
}

/// Node 0, after checkpoint `id` committed: the oldest request (a leave or a join)
/// becomes the next epoch, resumed from that checkpoint. A request that cannot be
/// honoured is dropped with a line saying why (whoever waits for it times out and says so).
void on_committed(agent_actor self, uint64_t id) {
  auto& st = self->state;
  if (st.mine.who.node != 0 || st.cfg.checkpoint_dir.empty() || st.changing) return;
  const auto requests = pending_requests(st.cfg.checkpoint_dir);
  if (requests.empty()) return;
  const auto& asked = requests.front();
  std::string why_not;
  membership now;
  now.epoch = st.cfg.epoch;
  now.members = st.cfg.nodes;
  auto next = next_membership(now, asked, id, wall_clock_ms(), why_not);
  if (!next) {
    std::cerr << "cluster: ignoring the request to " << asked.text() << ": " << why_not << "\n";
    return drop_request(st.cfg.checkpoint_dir, asked);
  }
  if (auto done = commit_membership(st.cfg.checkpoint_dir, *next); !done) {
    // Fenced, or the disk failed: every node reads the newest epoch again either way.
    std::cerr << "cluster: " << done.message() << "\n";
  } else {
    drop_request(st.cfg.checkpoint_dir, asked);
    std::cerr << "cluster: membership epoch " << next->epoch << " (" << next->ids()
              << "): " << asked.text() << " after checkpoint " << id << "\n";
  }
  st.changing = true;
  announce_epoch(self, next->epoch);
}

}  // namespace

caf::behavior cluster_agent(agent_actor self, cluster_agent_settings cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  auto n = st.cfg.nodes.size();
  st.joined.assign(n, false);
  st.peers.resize(n);
  st.readers.resize(n);
  st.readers_in.assign(n, false);
  st.finished.assign(n, false);
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& s = self->state;
    for (size_t i = 0; i < s.peers.size(); ++i)
      if (s.joined[i] && i != s.mine.who.node && s.peers[i].agent.address() == dm.source)
        self->send(s.cfg.listener, lost_atom::value, s.peers[i].who.node_id, s.done);
  });
  return {
    [=](start_atom, node_hello& mine) {
      auto& s = self->state;
      s.mine = std::move(mine);
      s.started = true;
      s.joined.at(s.mine.who.node) = true;
      s.peers[s.mine.who.node] = s.mine;
      set_coordinator(self, s.mine.coordinator);
    },
    [=](challenge_atom) -> std::string {
      auto& s = self->state;
      if (s.challenges.size() >= max_open_challenges) s.challenges.pop_front();
      s.challenges.push_back(random_hex(16));
      return s.challenges.back();
    },
    [=](hello_atom, const node_hello& theirs) -> caf::result<node_hello> {
      return on_hello(self, theirs);
    },
    [=](peer_atom, const node_hello& theirs) { add_peer(self, theirs); },
    [=](const reader_position& p) { relay(self, caf::make_message(p)); },
    [=](snapshot_written& w) { relay(self, caf::make_message(std::move(w))); },
    [=](barrier_atom a, uint64_t id, bool ok) { relay(self, caf::make_message(a, id, ok)); },
    [=](end_atom a, uint32_t reader) { relay(self, caf::make_message(a, reader)); },
    [=](readers_atom, uint32_t node, std::vector<caf::actor>& readers) {
      on_readers(self, node, readers);
    },
    [=](finished_atom, uint32_t node) { on_finished(self, node); },
    [=](stop_atom) {  // the operator stopped this node: every node stops reading and drains
      auto& s = self->state;
      for (size_t i = 0; i < s.peers.size(); ++i)
        if (s.joined[i] && i != s.mine.who.node)
          self->send(s.peers[i].agent, stop_atom::value, s.mine.who.node_id);
    },
    [=](stop_atom, const std::string& from) {
      self->send(self->state.cfg.listener, stop_atom::value, from);
    },
    [=](done_atom) {
      self->state.done = true;
      self->send(self->state.cfg.listener, done_atom::value);
    },
    [=](committed_atom, uint64_t id) { on_committed(self, id); },
    [=](membership_atom a, uint64_t epoch) { self->send(self->state.cfg.listener, a, epoch); },
  };
}

}  // namespace rtfeat

// Cluster join and leave for `rtfeat node` (see cluster_session.hpp). Node i
// connects to every node j < i and sends it a hello; nodes j > i connect to i.
// So each pair has exactly one connection, and each node hears from every peer
// directly: every proxy routes over a direct link.
#include "actors/node/cluster_session.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

#include "caf/all.hpp"
#include "caf/io/all.hpp"
#include "actors/atoms.hpp"
#include "actors/cluster_agent.hpp"
#include "actors/node/cluster_transport.hpp"
#include "actors/urgent_exit.hpp"
#include "runtime/cluster/membership.hpp"
#include "runtime/crypto/hmac.hpp"

namespace rtfeat::node {

namespace {

using steady = std::chrono::steady_clock;

std::string where(const cluster_node& n) {
  return "node '" + n.id + "' (" + n.host + ":" + std::to_string(n.port) + ")";
}

/// Plain TCP between nodes is a warning only off the loopback interface.
bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

enum class exchange { ok, refused, transient };

/// Asks peer `n` for a challenge, answers it with our signed hello, and checks
/// the peer's signed answer to our own nonce (both sides prove the secret).
/// `transient`: the peer's agent is gone or slow (it is restarting): try again.
exchange exchange_hellos(caf::actor_system& sys, caf::scoped_actor& self, const caf::actor& peer,
                         const cluster_node& n, const job_config& cfg, node_hello mine, const std::string& secret,
                         std::chrono::milliseconds timeout, node_hello& theirs, std::string& error) {
  auto result = exchange::ok;
  auto fail = [&](caf::error& e) {
    error = where(n) + ": handshake failed: " + sys.render(e);
    bool gone = e == caf::sec::request_receiver_down || e == caf::sec::request_timeout;
    result = gone ? exchange::transient : exchange::refused;
  };
  std::string challenge;
  self->request(peer, timeout, challenge_atom::value).receive([&](std::string& c) { challenge = std::move(c); }, fail);
  if (result != exchange::ok) return result;
  mine.who.nonce = random_hex(16);
  sign_identity(mine.who, secret, challenge);
  self->request(peer, timeout, hello_atom::value, mine).receive([&](node_hello& h) { theirs = std::move(h); }, fail);
  if (result != exchange::ok) return result;
  auto why = refuse_reason(mine.who, theirs.who, cfg.nodes, secret, mine.who.nonce);
  if (!why.empty()) return error = "refusing " + where(n) + ": " + why, exchange::refused;
  return exchange::ok;
}

enum class reach { ok, refused, not_yet };

/// One try to connect to peer `j` and exchange hellos. not_yet: unreachable or
/// restarting (try again next round); refused: it will not join this node.
reach hello_to(caf::actor_system& sys, caf::scoped_actor& self, const cluster_transport& transport,
               const job_config& cfg, size_t j, const node_hello& mine, const std::string& secret,
               steady::time_point deadline, node_hello& theirs, std::string& error) {
  const auto& n = cfg.nodes[j];
  auto peer = transport.connect(sys, n);
  if (!peer) {
    error = where(n) + " is unreachable (" + sys.render(peer.error())
            + ") after cluster.connect_timeout_ms" + transport.explain(peer.error(), n);
    return reach::not_yet;
  }
  // A restarting peer can still be reached for a moment: a bounded request, then connect again.
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
  auto wait = std::clamp(left, std::chrono::milliseconds(100), std::chrono::milliseconds(5000));
  auto r = exchange_hellos(sys, self, *peer, n, cfg, mine, secret, wait, theirs, error);
  if (r == exchange::ok) return reach::ok;
  if (r == exchange::refused) return reach::refused;
  std::cerr << "cluster: " << error << " (retrying)\n";
  return reach::not_yet;
}

enum class forming { going, peer_left, stale };

/// Takes the hellos of nodes after `me` (they connect to us) that arrive within
/// `wait`. peer_left: a peer that said hello went (its own attempt ended: it counts
/// as reached); stale: a peer restored a newer checkpoint than this node.
forming take_hellos(caf::scoped_actor& self, std::chrono::milliseconds wait,
                    std::vector<node_hello>& view, std::vector<bool>& have, std::string& error) {
  auto state = forming::going;
  bool quiet = false;
  auto all = [&] { return std::find(have.begin(), have.end(), false) == have.end(); };
  while (state == forming::going && !quiet && !all())
    self->receive(
      [&](peer_atom, node_hello& h) {
        auto n = h.who.node;
        if (n < view.size()) view[n] = std::move(h), have[n] = true;
      },
      [&](lost_atom, const std::string& id, bool) {
        error = "node '" + id + "' left while the cluster was forming", state = forming::peer_left;
      },
      [&](stale_atom) {
        error = "a peer restored a newer checkpoint than this node", state = forming::stale;
      },
      caf::after(wait) >> [&] { quiet = true; });
  return state;
}

/// A membership newer than `epoch` is committed (a replacement decided while this
/// node waited): forming this one is pointless.
bool newer_epoch_committed(const std::string& checkpoint_dir, uint64_t epoch) {
  auto m = load_membership(checkpoint_dir);
  return m && *m && (*m)->epoch > epoch;
}

std::string missing_of(const job_config& cfg, const std::vector<bool>& have) {
  std::string out;
  for (size_t j = 0; j < have.size(); ++j)
    if (!have[j]) out += (out.empty() ? "" : ", ") + where(cfg.nodes[j]);
  return out;
}

std::shared_ptr<routing> routes_of(const std::vector<node_hello>& view, uint32_t groups) {
  std::vector<caf::actor> users, others;
  for (const auto& h : view) {
    users.insert(users.end(), h.user_shards.begin(), h.user_shards.end());
    others.insert(others.end(), h.category_shards.begin(), h.category_shards.end());
  }
  auto routes = std::make_shared<routing>();
  routes->users.assign(std::move(users), groups);
  routes->categories.assign(std::move(others), groups);
  return routes;
}

}  // namespace

bool cluster_session::join(caf::actor_system& sys, caf::scoped_actor& self, const job_graph_settings& gs,
                           size_t me, peer_identity mine, const std::string& secret, std::string& error,
                           bool& retry) {
  const auto& cfg = *gs.config;
  auto* s = this;
  retry = false;
  s->cfg_ = &cfg;
  s->me_ = me;
  s->agent_ =
    sys.spawn(cluster_agent, cluster_agent_settings{.nodes = cfg.nodes,
                                                    .secret = secret,
                                                    .listener = caf::actor_cast<caf::actor>(self),
                                                    .checkpoint_dir = cfg.checkpoint_dir,
                                                    .epoch = mine.epoch});
  if (secret.empty())
    std::cerr << "cluster: warning: " << cluster_secret_env << " is not set: any process that reaches "
              << cfg.nodes[me].host << ":" << cfg.nodes[me].port << " with this config can join\n";
  if (transport_->tls)
    std::cerr << "cluster: TLS between nodes: certificate " << transport_->files.certificate
              << ", peers verified against " << transport_->files.ca_file << "\n";
  else if (!is_loopback(cfg.nodes[me].host))
    std::cerr << "cluster: warning: cluster.tls is not set: traffic between nodes is plain TCP on "
              << cfg.nodes[me].host << "\n";
  auto settings = gs;
  settings.coordinator = me == 0 ? caf::actor{} : s->agent_;  // the agent relays to node 0
  if (me == 0) settings.checkpoint_listener = s->agent_;  // membership changes follow checkpoints
  s->graph_ = spawn_node_part(sys, settings);
  node_hello hello{std::move(mine), s->graph_.user_shards, s->graph_.category_shards, s->agent_,
                   me == 0 ? s->graph_.coordinator : caf::actor{}};
  self->send(s->agent_, start_atom::value, hello);
  const auto& node = cfg.nodes[me];
  auto bound = transport_->listen(s->agent_, node);
  if (!bound) {
    error = "cannot listen on " + node.host + ":" + std::to_string(node.port) + ": " + sys.render(bound.error());
    return false;
  }
  auto deadline = steady::now() + std::chrono::milliseconds(cfg.cluster_connect_timeout_ms);
  s->view_.resize(cfg.nodes.size());
  auto& have = s->reached_;
  have.assign(cfg.nodes.size(), false);
  s->view_[me] = hello, have[me] = true;
  // Round after round, every node not reached yet: one that is down for good must
  // not keep this node from reaching the others (who reaches a majority decides).
  std::string unreachable;  // why the first node before this one that is not reached is not
  for (;;) {
    unreachable.clear();
    for (size_t j = 0; j < me; ++j) {
      if (have[j]) continue;
      auto r =
        hello_to(sys, self, *transport_, cfg, j, hello, secret, deadline, s->view_[j], error);
      if (r == reach::refused) return retry = is_restore_mismatch(error), false;
      if (r != reach::ok) {
        if (unreachable.empty()) unreachable = error;
        continue;
      }
      have[j] = true;
      self->send(s->agent_, peer_atom::value, s->view_[j]);
    }
    auto formed = take_hellos(self, std::chrono::milliseconds(100), s->view_, have, error);
    if (formed == forming::stale) return s->refused_restore_ = retry = true, false;
    if (formed == forming::peer_left) return s->incomplete_ = true, false;
    if (std::find(have.begin(), have.end(), false) == have.end()) break;
    if (newer_epoch_committed(cfg.checkpoint_dir, hello.who.epoch)) {
      error = "a newer membership epoch was committed while the cluster formed";
      return s->epoch_changed_ = true, false;
    }
    if (steady::now() >= deadline) {
      // Why a node could not be reached (a TLS refusal, say) says more than who is missing.
      error = !unreachable.empty()
                ? unreachable
                : "no hello after cluster.connect_timeout_ms from " + missing_of(cfg, have)
                    + ": is it started with this config?";
      s->incomplete_ = true;
      return false;
    }
  }
  std::cerr << "cluster: node '" << node.id << "' joined " << cfg.nodes.size() << " nodes\n";
  if (stages_) stages_->mark("handshake");
  // Readers start once this node's shards hold their checkpoint state (they decode it
  // while the cluster forms): "processing" means it, and no batch waits behind a decode.
  if (auto failure = await_restored_shards(sys, self, s->graph_); !failure.empty()) {
    error = "fatal: a shard could not restore its checkpoint: " + failure;
    return false;
  }
  if (stages_) stages_->mark("decode");
  auto routes = routes_of(s->view_, static_cast<uint32_t>(cfg.max_parallelism));
  spawn_readers(sys, settings, routes, s->graph_);
  self->send(s->view_[0].agent, readers_atom::value, static_cast<uint32_t>(me), s->graph_.readers);
  if (stages_) stages_->mark("readers");
  return true;
}

void cluster_session::close(caf::actor_system& sys, caf::exit_reason how) {
  // Unpublish first: a restarting peer must not reach this node's dying agent.
  if (agent_) sys.middleman().unpublish(agent_, static_cast<uint16_t>(cfg_->nodes[me_].port));
  for (const auto& a : all()) send_exit(a, how);
}

std::vector<caf::actor> cluster_session::all() const {
  auto out = graph_.all();
  if (agent_) out.push_back(agent_);
  return out;
}

bool cluster_session::finish(caf::scoped_actor& self, bool& lost) {
  self->send(view_[0].agent, finished_atom::value, static_cast<uint32_t>(me_));
  const auto& coordinator_id = cfg_->nodes[0].id;
  bool done = false, failed = false;
  while (!done && !failed)
    self->receive([&](done_atom) { done = true; },
                  [&](lost_atom, const std::string& id, bool after_done) {
                    // A peer other than node 0 leaves only once node 0 said done (or on its own failure,
                    // which node 0 sees too); node 0 itself must not go before it says done.
                    if (after_done || (me_ != 0 && id != coordinator_id)) return;
                    std::cerr << "node: lost node '" << id << "' before every node finished\n";
                    failed = lost = true;
                  });
  if (failed || me_ != 0) return !failed;
  // Node 0 leaves last, so that its done reaches every peer before the links close.
  size_t left = 0;
  auto until = steady::now() + std::chrono::seconds(5);
  while (left + 1 < view_.size() && steady::now() < until)
    self->receive([&](lost_atom, const std::string&, bool) { ++left; },
                  caf::after(std::chrono::milliseconds(100)) >> [] {});
  return true;
}

}  // namespace rtfeat::node

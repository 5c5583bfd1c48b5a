// How cluster nodes reach each other: CAF's BASP over plain TCP, or over TLS
// through caf_openssl when cluster.tls.* is set (docs/cluster.md "Security").
// Every inter-node link is opened here (the published agent and the outgoing
// connections; the proxies of the shards, coordinator and readers ride on
// them), so with TLS on no link can bypass it.
#pragma once

#include <cstdint>
#include <string>

#include "caf/actor.hpp"
#include "caf/error.hpp"
#include "caf/expected.hpp"
#include "caf/fwd.hpp"
#include "config/job_config.hpp"
#include "runtime/crypto/tls_files.hpp"

namespace rtfeat::node {

struct cluster_transport {
  bool tls = false;
  tls_files files;         // when tls
  std::string passphrase;  // of files.key, from RTFEAT_TLS_KEY_PASSPHRASE ("" = none)
  /// Whether the program's SSL I/O calls are rtfeat's (cmd/tls_io_hooks.cpp): a
  /// property of the executable, so the program says it (node_options).
  bool io_hooks_active = false;

  /// From the config and the environment. The files are not checked here: see check().
  static cluster_transport from(const job_config& cfg, bool io_hooks_active);

  /// "" or why TLS cannot be used: the I/O hooks are missing, or the files
  /// (tls_files.hpp) are not usable; run once at start.
  std::string check() const;

  /// Loads the middleman, its heartbeats, and with TLS caf_openssl's manager with
  /// the files (only then: loading it without them would mean anonymous TLS).
  void configure(caf::actor_system_config& sys_cfg, const job_config& cfg) const;

  /// Publishes `agent` on node.host:node.port only.
  caf::expected<uint16_t> listen(const caf::actor& agent, const cluster_node& node) const;

  /// Connects to the agent published by `node`. Blocking.
  caf::expected<caf::actor> connect(caf::actor_system& sys, const cluster_node& node) const;

  /// What to add to "unreachable (e)" once connecting to `node` gave up: with
  /// TLS, a handshake of our own says which side refuses what (CAF only says
  /// "disconnect during handshake"); without, a hint that the peer may use TLS.
  std::string explain(const caf::error& e, const cluster_node& node) const;
};

}  // namespace rtfeat::node

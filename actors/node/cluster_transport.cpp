// Plain or TLS links between nodes (see cluster_transport.hpp).
#include "actors/node/cluster_transport.hpp"

#include <chrono>
#include <cstdlib>

#include "caf/all.hpp"
#include "caf/io/all.hpp"
#include "caf/openssl/all.hpp"
#include "runtime/crypto/tls_probe.hpp"

namespace rtfeat::node {

cluster_transport cluster_transport::from(const job_config& cfg, bool io_hooks_active) {
  cluster_transport t;
  t.io_hooks_active = io_hooks_active;
  t.tls = has_cluster_tls(cfg);
  t.files = {cfg.cluster_tls_certificate, cfg.cluster_tls_key, cfg.cluster_tls_ca_file};
  const char* pass = std::getenv(tls_passphrase_env);
  t.passphrase = pass ? pass : "";
  return t;
}

std::string cluster_transport::check() const {
  if (!tls) return "";
  if (!io_hooks_active)
    return "cluster.tls: this rtfeat binary does not export its SSL I/O calls (cmd/tls_io_hooks.cpp), so "
           "one failed TLS handshake could cut the node's other links: rebuild it with the project's CMake";
  return check_tls_files(files, passphrase);
}

void cluster_transport::configure(caf::actor_system_config& sys_cfg, const job_config& cfg) const {
  sys_cfg.load<caf::io::middleman>();
  // A hung peer (not only a dead one) is lost after cluster.peer_timeout_ms.
  sys_cfg.set("middleman.heartbeat-interval", caf::timespan{std::chrono::milliseconds(500)});
  sys_cfg.set("middleman.connection-timeout", caf::timespan{std::chrono::milliseconds(cfg.cluster_peer_timeout_ms)});
  if (!tls) return;
  sys_cfg.load<caf::openssl::manager>();
  // Any of these set makes caf_openssl require and verify a certificate on
  // both sides of every link (SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT).
  sys_cfg.set("openssl.certificate", files.certificate);
  sys_cfg.set("openssl.key", files.key);
  sys_cfg.set("openssl.cafile", files.ca_file);
  if (!passphrase.empty()) sys_cfg.set("openssl.passphrase", passphrase);
}

caf::expected<uint16_t> cluster_transport::listen(const caf::actor& agent, const cluster_node& node) const {
  auto port = static_cast<uint16_t>(node.port);
  if (tls) return caf::openssl::publish(agent, port, node.host.c_str(), true);
  return caf::io::publish(agent, port, node.host.c_str(), true);
}

caf::expected<caf::actor> cluster_transport::connect(caf::actor_system& sys, const cluster_node& node) const {
  auto port = static_cast<uint16_t>(node.port);
  if (tls) return caf::openssl::remote_actor(sys, node.host, port);
  return caf::io::remote_actor(sys, node.host, port);
}

std::string cluster_transport::explain(const caf::error& e, const cluster_node& node) const {
  if (tls) {
    auto why = diagnose_tls_peer(files, passphrase, node.host, static_cast<uint16_t>(node.port),
                                 std::chrono::milliseconds(2000));
    return why.empty() ? "" : "; " + why;
  }
  // A TLS peer drops a plain handshake; CAF 0.17 sometimes reports a timeout instead.
  if (e == caf::sec::disconnect_during_handshake || e == caf::sec::connection_timeout)
    return "; if the peer uses TLS (cluster.tls.*), this node must too";
  return "";
}

}  // namespace rtfeat::node

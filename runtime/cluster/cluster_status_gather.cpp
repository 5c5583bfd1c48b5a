// gather_cluster_status (see cluster_status_gather.hpp).
#include "runtime/cluster/cluster_status_gather.hpp"

#include <memory>

#include "runtime/checkpoint/checkpoint_store.hpp"
#include "runtime/cluster/tcp_probe.hpp"
#include "runtime/kafka/consumer.hpp"

namespace rtfeat {

namespace {

/// The newest complete checkpoint (not verified: status must stay quick).
std::optional<checkpoint_manifest> newest_checkpoint(const job_config& cfg,
                                                     std::vector<std::string>& warnings) {
  auto store = checkpoint_store::open(cfg.checkpoint_dir, open_mode::must_exist);
  if (!store) {
    warnings.push_back(store.error().message());
    return std::nullopt;
  }
  checkpoint_listing all;
  if (auto listed = (*store)->list(all); !listed) {
    warnings.push_back(listed.message());
    return std::nullopt;
  }
  for (const auto& [id, why] : all.unreadable)
    if (all.complete.empty() || id > all.complete.front().id)
      warnings.push_back("checkpoint " + std::to_string(id) + " is unreadable: " + why);
  if (all.complete.empty()) return std::nullopt;
  return all.complete.front();
}

}  // namespace

cluster_status gather_cluster_status(const job_config& cfg, int probe_timeout_ms,
                                     std::vector<std::string>& warnings) {
  std::vector<bool> reachable;
  for (const auto& n : cfg.nodes)
    reachable.push_back(tcp_port_open(n.host, n.port, probe_timeout_ms));
  const auto newest = newest_checkpoint(cfg, warnings);
  std::vector<partition_offsets> ends;
  bool have_ends = false;
  if (cfg.source_kind == "kafka") {
    std::string error;
    auto consumer =
      kafka_consumer::create(cfg.source_bootstrap, cfg.source_group_id + "-status", error);
    have_ends = consumer != nullptr
                && consumer->query_offsets(
                  cfg.source_topic, static_cast<int32_t>(cfg.source_partitions), ends, error);
    if (!have_ends) warnings.push_back("no end offsets from Kafka, lag unknown: " + error);
  } else {
    warnings.push_back("source.kind = " + cfg.source_kind + ": lag is only known for Kafka");
  }
  return describe_cluster(cfg, newest, have_ends ? &ends : nullptr, reachable);
}

}  // namespace rtfeat

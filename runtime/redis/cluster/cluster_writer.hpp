// A sink's writer for a Redis Cluster. Each key's commands form one unit (a
// whole-value replace keeps its MULTI/EXEC, which a cluster allows within one
// slot), sent through cluster_sender: one pipeline per master per round,
// MOVED/ASK followed, TRYAGAIN/CLUSTERDOWN backed off.
// Once every unit is written, each master gets this sink's dataset marker in
// one of its slots: a failed-over master whose replica missed the last writes
// holds an older marker, so the loss is seen and the shards rewrite their keys
// (docs/exactly-once.md, docs/redis-cluster.md).
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/redis/cluster/cluster_sender.hpp"
#include "runtime/redis/dataset_marker.hpp"
#include "runtime/redis/feature_writer.hpp"
#include "runtime/redis/ttl_tracker.hpp"

namespace rtfeat {

struct cluster_writer_settings {
  std::vector<node_address> seeds;
  redis_credentials credentials;
  bool track_ttl = true;
  std::string writer;  // this sink among all sinks ("<node>.<sink>"), in its marker keys
  int timeout_ms = 2000;  // each connect and reply
  pipeline_limits limits{};
};

class cluster_writer final : public feature_writer {
public:
  explicit cluster_writer(cluster_writer_settings settings);
  write_result write(std::span<const key_update> updates, uint64_t& commands,
                     std::string& error) override;
  std::string where() const override { return "redis cluster (seeds " + sender_.seeds_text() + ")"; }
  std::string loss_detail() const override { return loss_detail_; }
  uint64_t moved() const override { return sender_.counts().moved; }
  uint64_t asked() const override { return sender_.counts().ask; }

private:
  /// SET ... GET of each master's marker; false (failed) or `intact` set.
  bool check_markers(uint64_t& commands, bool& intact, std::string& error);
  /// The marker `master` is asked for; `is_new` when it had none in its slots.
  dataset_marker& marker_for(const slot_map& map, const node_address& master, bool& is_new);

  cluster_writer_settings cfg_;
  cluster_sender sender_;
  std::string token_;
  ttl_tracker ttl_;
  std::vector<std::string_view> args_;
  std::map<uint16_t, dataset_marker> markers_;  // by the slot each lives in
  bool marked_ = false;  // markers were confirmed once: a marker new after that is a changed cluster
  std::string loss_detail_;
};

}  // namespace rtfeat

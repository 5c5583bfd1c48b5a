// A sink's writer for a Redis Cluster. Each key's commands form one unit (a
// whole-value replace keeps its MULTI/EXEC, which a cluster allows within one
// slot), routed by the key's slot through cluster_pipeline: one pipeline per
// master per round, MOVED/ASK followed, TRYAGAIN/CLUSTERDOWN backed off.
// Once every unit is written, each master gets this sink's dataset marker in
// one of its slots: a failed-over master whose replica missed the last writes
// holds an older marker, so the loss is seen and the shards rewrite their keys
// (docs/exactly-once.md, docs/redis-cluster.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/redis/cluster/cluster_connections.hpp"
#include "runtime/redis/cluster/cluster_pipeline.hpp"
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
  write_result write(std::vector<key_update>& updates, uint64_t& commands, std::string& error) override;
  std::string where() const override { return "redis cluster (seeds " + conns_.seeds_text() + ")"; }
  std::string loss_detail() const override { return loss_detail_; }
  uint64_t moved() const override { return counts_.moved; }
  uint64_t asked() const override { return counts_.ask; }

private:
  struct unit {
    uint16_t slot = 0;
    size_t begin = 0, end = 0;  // its RESP in buf_
    uint32_t replies = 0;
  };
  /// Sends the units until each is done or failed; false with `error` if any failed.
  bool run(cluster_pipeline& p, std::string& error);
  /// One batch's replies, unit by unit; false when the connection died.
  bool read_batch(cluster_pipeline& p, const node_batch& batch, void* ctx, std::string& error);
  /// SET ... GET of each master's marker; false (failed) or `intact` set.
  bool check_markers(uint64_t& commands, bool& intact, std::string& error);
  /// The marker `master` is asked for; `is_new` when it had none in its slots.
  dataset_marker& marker_for(const node_address& master, bool& is_new);

  cluster_connections conns_;
  cluster_writer_settings cfg_;
  std::string token_;
  ttl_tracker ttl_;
  std::string buf_;
  std::vector<std::string_view> args_;
  std::vector<unit> units_;
  std::vector<std::optional<std::string>> last_string_;  // per unit: its last reply, when a string
  std::map<uint16_t, dataset_marker> markers_;            // by the slot each lives in
  bool marked_ = false;  // markers were confirmed once: a marker new after that is a changed cluster
  bool stale_ = true;    // re-read CLUSTER SLOTS before the next write
  std::string loss_detail_;
  pipeline_counts counts_;
};

}  // namespace rtfeat

// The node's job configuration (rtfeat.toml): plain struct + loader. Every key
// lives in one table (job_config.cpp) that drives loading, `--set` overrides,
// unknown-key errors and `docs/config.md`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/cluster_nodes.hpp"

namespace rtfeat {

struct job_config {
  // [source]
  std::string source_kind = "kafka";  // kafka | file
  std::string source_path;            // JSONL file when kind = file
  std::string source_bootstrap = "127.0.0.1:9092";
  std::string source_topic = "events";
  int64_t source_partitions = 8;  // file: logical partitions; kafka: checked against the topic
  std::string source_group_id = "rtfeat";
  int64_t source_max_rate_per_partition = 0;  // events/s a reader takes at most; 0 = no limit
  // [redis]
  std::string redis_host = "127.0.0.1";
  int64_t redis_port = 6379;
  std::string redis_username;  // ACL user; the password comes from RTFEAT_REDIS_PASSWORD
  bool redis_cluster = false;            // a Redis Cluster: redis.nodes are its seeds (docs/redis-cluster.md)
  std::vector<std::string> redis_nodes;  // "host:port" seeds of the Redis Cluster
  // [features]
  std::string features_file = "features.toml";
  // [checkpoint]
  std::string checkpoint_dir = "checkpoints";
  int64_t checkpoint_interval_ms = 1000;
  int64_t checkpoint_timeout_ms = 60000;
  int64_t checkpoint_keep = 3;
  // [watermark]
  int64_t out_of_orderness_ms = 5000;
  int64_t idle_timeout_ms = 10000;
  int64_t max_future_skew_ms = 0;  // 0 = off (SPEC §4a literally); docs/semantics.md "Future skew"
  // [engine]
  int64_t max_parallelism = 128;
  int64_t user_shards = 2;
  int64_t category_shards = 1;
  int64_t sinks = 1;
  int64_t batch_events = 1024;     // events per reader -> shard message
  int64_t flush_interval_ms = 20;  // shard -> sink -> Redis cadence
  // [dead_letter]
  std::string dead_letter_kind = "file";  // file | kafka (topic <source.topic>.dlq)
  std::string dead_letter_path = "dead-letter.jsonl";  // kind = kafka: where refused dead letters go
  int64_t dead_letter_max_payload_bytes = 65536;     // bytes of an event kept in its dead letter
  int64_t dead_letter_kafka_max_message_bytes = 1000000;  // the DLQ topic's max.message.bytes
  // [node]
  int64_t progress_interval_ms = 1000;
  int64_t shutdown_timeout_ms = 10000;  // a stop (SIGTERM) ends within this, final checkpoint or not
  int64_t sink_stall_timeout_ms = 60000;  // Redis refusing every write this long fails the node; 0 = never
  int64_t sink_delete_journal_ms = 10000;  // deletes of this much written time are sent again by a resync
  // [metrics]: Prometheus /metrics of this node (docs/metrics.md)
  std::string metrics_host = "127.0.0.1";
  int64_t metrics_port = 0;  // 0 = off
  // [serve]: `rtfeat serve`, the feature API (docs/serving.md)
  std::string serve_host = "127.0.0.1";
  int64_t serve_port = 8080;
  int64_t serve_threads = 2;            // event loops, each with its own Redis connections
  int64_t serve_max_batch = 1000;       // entities per POST /v1/features
  int64_t serve_deadline_ms = 50;       // Redis answer deadline of a request; 503 after it
  int64_t serve_max_connections = 10000;
  int64_t serve_header_timeout_ms = 5000;  // a request's headers must arrive within this
  int64_t serve_idle_timeout_ms = 60000;   // an idle keep-alive connection is closed after this
  int64_t serve_max_body_bytes = 1048576;  // larger bodies get 413
  int64_t serve_cache_max_entries = 0;     // near cache (Redis keys held), 0 = off
  std::string serve_model;                 // model.toml for POST /v1/predict; empty = no model
  // [cluster] and [[cluster.node]]: empty = single node (docs/cluster.md)
  int64_t cluster_connect_timeout_ms = 30000;
  int64_t cluster_peer_timeout_ms = 10000;
  int64_t cluster_replace_after_ms = 60000;  // 0 = a lost member is never replaced
  std::vector<cluster_node> nodes;
  // [cluster.tls]: PEM paths; all three set = TLS between nodes, none = plain TCP
  std::string cluster_tls_certificate;
  std::string cluster_tls_key;
  std::string cluster_tls_ca_file;
};

/// The largest watermark.max_future_skew_ms: the parser's ts range (now + 1 day).
inline constexpr int64_t max_future_skew_cap_ms = 86'400'000;

/// True when the nodes talk TLS (cluster.tls.*; loading makes it all three or none).
inline bool has_cluster_tls(const job_config& c) { return !c.cluster_tls_certificate.empty(); }

/// One documented key of the table, for docs and `rtfeat node --help-config`.
struct config_key_doc {
  std::string name;  // section.key
  std::string type;  // string | integer
  std::string default_value;
  std::string help;
};
std::vector<config_key_doc> job_config_keys();

/// Loads `path` (empty = defaults only), then applies `overrides` ("section.key=value").
/// Relative paths in the file are taken relative to the file's directory.
/// Returns false with a message naming the file, line and key on any error.
bool load_job_config(const std::string& path, const std::vector<std::string>& overrides,
                     job_config& out, std::string& error);

/// Turns every path-valued key (features.file, checkpoint.dir, ...) into an
/// absolute path, so that a config written elsewhere still names the same files.
void make_config_paths_absolute(job_config& cfg);

/// `cfg` as a TOML file that load_job_config reads back to the same config: every key
/// of the table, then the `[[cluster.node]]` list. Tools that launch nodes (`rtfeat
/// drill`) write their configs with it. Relative paths stay relative, so they are read
/// back relative to the directory the file is written to: give absolute ones.
std::string job_config_toml(const job_config& cfg);

}  // namespace rtfeat

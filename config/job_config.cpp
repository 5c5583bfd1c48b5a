// Key table and TOML loading for job_config. Unknown keys are errors, never
// ignored: a typo in a config must not silently run the job with a default.
#include "config/job_config.hpp"

#include <charconv>
#include <filesystem>
#include <functional>
#include <sstream>

#include <toml++/toml.h>

#include "config/cluster_nodes_parse.hpp"
#include "config/host_port.hpp"

namespace rtfeat {

namespace {

struct key_spec {
  const char* name;
  std::string job_config::*text = nullptr;
  int64_t job_config::*number = nullptr;
  bool is_path = false;
  const char* help;
  bool job_config::*flag = nullptr;                      // true | false
  std::vector<std::string> job_config::*list = nullptr;  // array of strings; --set: comma-separated
};

const std::vector<key_spec>& key_table() {
  using j = job_config;
  static const std::vector<key_spec> table{
    {"source.kind", &j::source_kind, nullptr, false, "kafka | file"},
    {"source.path", &j::source_path, nullptr, true, "JSONL input when source.kind = file"},
    {"source.bootstrap", &j::source_bootstrap, nullptr, false, "Kafka bootstrap servers"},
    {"source.topic", &j::source_topic, nullptr, false, "Kafka topic of the events"},
    {"source.partitions", nullptr, &j::source_partitions, false,
     "partitions (logical ones for the file source)"},
    {"source.group_id", &j::source_group_id, nullptr, false, "Kafka group.id (offsets are ours)"},
    {"source.max_rate_per_partition", nullptr, &j::source_max_rate_per_partition, false,
     "events per second each partition reader takes at most (a backfill that spares Redis); 0 = no limit"},
    {"redis.host", &j::redis_host, nullptr, false, "Redis host"},
    {"redis.port", nullptr, &j::redis_port, false, "Redis port"},
    {"redis.username", &j::redis_username, nullptr, false,
     "Redis ACL user (AUTH username password); the password comes from RTFEAT_REDIS_PASSWORD"},
    {.name = "redis.cluster", .help = "true: a Redis Cluster reached through redis.nodes (redis.host/port unused)",
     .flag = &j::redis_cluster},
    {.name = "redis.nodes", .help = "Redis Cluster seeds, [\"host:port\", ...] (--set: comma-separated)",
     .list = &j::redis_nodes},
    {"features.file", &j::features_file, nullptr, true, "feature catalogue (TOML)"},
    {"checkpoint.dir", &j::checkpoint_dir, nullptr, true, "checkpoint directory"},
    {"checkpoint.interval_ms", nullptr, &j::checkpoint_interval_ms, false,
     "checkpoint interval, 0 = off"},
    {"checkpoint.timeout_ms", nullptr, &j::checkpoint_timeout_ms, false,
     "a checkpoint not complete after this is aborted (the job goes on)"},
    {"checkpoint.keep", nullptr, &j::checkpoint_keep, false, "complete checkpoints kept"},
    {"watermark.out_of_orderness_ms", nullptr, &j::out_of_orderness_ms, false,
     "W_p = max ts - this"},
    {"watermark.max_future_skew_ms", nullptr, &j::max_future_skew_ms, false,
     "an event more than this ahead of W_p is a future_ts dead letter unless a second one agrees; 0 = off"},
    {"watermark.idle_timeout_ms", nullptr, &j::idle_timeout_ms, false,
     "an idle partition stops holding the watermark back after this"},
    {"engine.max_parallelism", nullptr, &j::max_parallelism, false, "number of key groups"},
    {"engine.user_shards", nullptr, &j::user_shards, false, "user shard actors per node"},
    {"engine.category_shards", nullptr, &j::category_shards, false,
     "category shard actors per node (features keyed by category, item, campaign+region, or all users)"},
    {"engine.sinks", nullptr, &j::sinks, false, "Redis sink actors (one connection each)"},
    {"engine.batch_events", nullptr, &j::batch_events, false, "events per reader->shard batch"},
    {"engine.flush_interval_ms", nullptr, &j::flush_interval_ms, false,
     "how often shards and sinks flush to Redis"},
    {"dead_letter.kind", &j::dead_letter_kind, nullptr, false,
     "file | kafka (topic <source.topic>.dlq)"},
    {"dead_letter.path", &j::dead_letter_path, nullptr, true,
     "dead-letter JSONL file (kind kafka: where the dead letters the topic refuses go)"},
    {"dead_letter.max_payload_bytes", nullptr, &j::dead_letter_max_payload_bytes, false,
     "bytes of a rejected event kept in its dead letter (the size and SHA-256 of the whole are kept too)"},
    {"dead_letter.kafka_max_message_bytes", nullptr, &j::dead_letter_kafka_max_message_bytes, false,
     "kind kafka: the DLQ topic's max.message.bytes; larger dead letters go to dead_letter.path"},
    {"node.progress_interval_ms", nullptr, &j::progress_interval_ms, false,
     "progress line cadence on stderr, 0 = quiet"},
    {"node.shutdown_timeout_ms", nullptr, &j::shutdown_timeout_ms, false,
     "a stop (SIGTERM, Ctrl-C) ends within this; past it the final checkpoint is skipped"},
    {"sink.stall_timeout_ms", nullptr, &j::sink_stall_timeout_ms, false,
     "Redis refusing every write this long fails the node (exit 1), 0 = retry forever"},
    {"sink.delete_journal_ms", nullptr, &j::sink_delete_journal_ms, false,
     "a resync sends again the deletes of this much written time (Redis lost them), 0 = none"},
    {"metrics.host", &j::metrics_host, nullptr, false, "interface the Prometheus /metrics endpoint binds to"},
    {"metrics.port", nullptr, &j::metrics_port, false,
     "port of the Prometheus /metrics endpoint, 0 = off (one per node: --set per process)"},
    {"serve.host", &j::serve_host, nullptr, false, "interface `rtfeat serve` listens on"},
    {"serve.port", nullptr, &j::serve_port, false, "port of `rtfeat serve` (feature API, /metrics)"},
    {"serve.threads", nullptr, &j::serve_threads, false,
     "event-loop threads of `rtfeat serve`, each with its own Redis connection"},
    {"serve.max_batch", nullptr, &j::serve_max_batch, false, "entities per POST /v1/features (more: 400)"},
    {"serve.deadline_ms", nullptr, &j::serve_deadline_ms, false,
     "a request whose Redis answer takes longer gets 503 with Retry-After"},
    {"serve.max_connections", nullptr, &j::serve_max_connections, false,
     "open client connections; more are closed at accept"},
    {"serve.header_timeout_ms", nullptr, &j::serve_header_timeout_ms, false,
     "a request's header and body must arrive within this (slow clients are closed)"},
    {"serve.idle_timeout_ms", nullptr, &j::serve_idle_timeout_ms, false,
     "an idle keep-alive connection is closed after this"},
    {"serve.max_body_bytes", nullptr, &j::serve_max_body_bytes, false, "larger request bodies get 413"},
    {"serve.cache.max_entries", nullptr, &j::serve_cache_max_entries, false,
     "near cache of Redis keys kept fresh by CLIENT TRACKING invalidations, 0 = off"},
    {"serve.model", &j::serve_model, nullptr, true,
     "model config (model.toml) for POST /v1/predict; empty = no model"},
    {"cluster.connect_timeout_ms", nullptr, &j::cluster_connect_timeout_ms, false,
     "how long a node waits for every peer of [[cluster.node]] to be reachable"},
    {"cluster.peer_timeout_ms", nullptr, &j::cluster_peer_timeout_ms, false,
     "a peer silent this long (no heartbeat) is lost, as if it had died"},
    {"cluster.replace_after_ms", nullptr, &j::cluster_replace_after_ms, false,
     "a member lost this long is replaced by a majority of the others (0 = never)"},
    {"cluster.tls.certificate", &j::cluster_tls_certificate, nullptr, true,
     "this node's certificate (PEM, may be followed by its chain); TLS between nodes"},
    {"cluster.tls.key", &j::cluster_tls_key, nullptr, true,
     "this node's private key (PEM); passphrase from RTFEAT_TLS_KEY_PASSPHRASE"},
    {"cluster.tls.ca_file", &j::cluster_tls_ca_file, nullptr, true,
     "the CA certificate(s) (PEM) a peer's certificate must be signed by"},
  };
  return table;
}

const key_spec* find_key(std::string_view name) {
  for (const auto& k : key_table())
    if (name == k.name) return &k;
  return nullptr;
}

/// A table that holds keys of its own, such as [cluster.tls] inside [cluster].
bool is_subsection(std::string_view name) {
  for (const auto& k : key_table()) {
    std::string_view key = k.name;
    if (key.size() > name.size() && key.starts_with(name) && key[name.size()] == '.') return true;
  }
  return false;
}

bool set_value(job_config& cfg, const key_spec& k, const toml::node& v, const std::string& base,
               std::string& error) {
  if (k.flag != nullptr) {
    if (!v.is_boolean()) return error = std::string(k.name) + ": expected true or false", false;
    cfg.*k.flag = *v.value<bool>();
    return true;
  }
  if (k.list != nullptr) {
    const auto* array = v.as_array();
    if (array == nullptr) return error = std::string(k.name) + ": expected an array of strings", false;
    auto& out = cfg.*k.list;
    out.clear();
    for (const auto& item : *array) {
      auto s = item.value<std::string>();
      if (!s || !item.is_string()) return error = std::string(k.name) + ": expected an array of strings", false;
      out.push_back(*s);
    }
    return true;
  }
  if (k.text != nullptr) {
    auto s = v.value<std::string>();
    if (!s) return error = std::string(k.name) + ": expected a string", false;
    std::filesystem::path p(*s);
    cfg.*k.text = (k.is_path && !s->empty() && p.is_relative() && !base.empty())
                    ? (std::filesystem::path(base) / p).lexically_normal().string()
                    : *s;
    return true;
  }
  auto n = v.value<int64_t>();
  if (!n || !v.is_integer()) return error = std::string(k.name) + ": expected an integer", false;
  cfg.*k.number = *n;
  return true;
}

/// The keys of `tbl`, named `prefix.key`; subsections are walked the same way.
bool load_table(const toml::table& tbl, const std::string& prefix, const std::string& path,
                const std::string& base, job_config& out, std::string& error) {
  for (auto&& [key, value] : tbl) {
    auto name = prefix + "." + std::string(key.str());
    const auto* spec = find_key(name);
    auto where = path + ":" + std::to_string(value.source().begin.line) + ": ";
    if (name == "cluster.node") {  // the node list: an array of tables, not a key of the table
      if (!parse_cluster_nodes(value, path, out.nodes, error)) return false;
      continue;
    }
    if (spec == nullptr && value.is_table() && is_subsection(name)) {
      if (!load_table(*value.as_table(), name, path, base, out, error)) return false;
      continue;
    }
    if (spec == nullptr) return error = where.append("unknown config key '").append(name).append("'"), false;
    if (!set_value(out, *spec, value, base, error)) return error = where.append(error), false;
  }
  return true;
}

bool load_file(const std::string& path, job_config& out, std::string& error) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return error = "cannot open config file '" + path + "' (give one with --config)", false;
  toml::table parsed;
  try {
    parsed = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    error = path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description());
    return false;
  }
  auto base = std::filesystem::path(path).parent_path().string();
  for (auto&& [section, node] : parsed) {
    const auto* tbl = node.as_table();
    if (tbl == nullptr)
      return error = path + ": top-level key '" + std::string(section.str()) + "' must be a [section]", false;
    if (!load_table(*tbl, std::string(section.str()), path, base, out, error)) return false;
  }
  return true;
}

bool apply_override(const std::string& kv, job_config& out, std::string& error) {
  auto eq = kv.find('=');
  if (eq == std::string::npos)
    return error = "--set '" + kv + "': expected section.key=value", false;
  auto name = kv.substr(0, eq);
  auto text = kv.substr(eq + 1);
  const auto* spec = find_key(name);
  if (name == "cluster.node")
    return error = "--set: cluster.node is the node list: edit the [[cluster.node]] tables of the config", false;
  if (spec == nullptr) return error = "--set: unknown config key '" + name + "'", false;
  if (spec->text != nullptr) return out.*spec->text = text, true;
  if (spec->flag != nullptr) {
    if (text != "true" && text != "false")
      return error = "--set " + name + ": expected true or false, got '" + text + "'", false;
    return out.*spec->flag = text == "true", true;
  }
  if (spec->list != nullptr) {
    auto& list = out.*spec->list;
    list.clear();
    for (size_t from = 0; from <= text.size();) {
      auto comma = std::min(text.find(',', from), text.size());
      if (comma > from) list.push_back(text.substr(from, comma - from));
      from = comma + 1;
    }
    return true;
  }
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size())
    return error = "--set " + name + ": expected an integer, got '" + text + "'", false;
  out.*spec->number = n;
  return true;
}

/// TLS is all or nothing: a half-configured node would silently talk plain TCP.
bool validate_tls(const job_config& c, std::string& error) {
  std::string set, missing;
  for (auto [name, value] : {std::pair{"cluster.tls.certificate", &c.cluster_tls_certificate},
                             std::pair{"cluster.tls.key", &c.cluster_tls_key},
                             std::pair{"cluster.tls.ca_file", &c.cluster_tls_ca_file}}) {
    auto& list = value->empty() ? missing : set;
    list += (list.empty() ? "" : ", ") + std::string(name);
  }
  if (set.empty() || missing.empty()) return true;
  bool several = set.find(',') != std::string::npos;
  error = missing + ": required when " + set + (several ? " are" : " is")
          + " set (TLS between nodes needs cluster.tls.certificate, cluster.tls.key and cluster.tls.ca_file,"
            " or none of them)";
  return false;
}

/// F <= out_of_orderness would refuse events merely ahead of max ts, i.e. ordinary traffic;
/// past a day the ts range check (ts_out_of_range) already refuses them.
bool validate_future_skew(const job_config& c, std::string& error) {
  auto f = c.max_future_skew_ms;
  if (f == 0) return true;
  if (f < 0 || f > max_future_skew_cap_ms)
    return error = "watermark.max_future_skew_ms: expected 0 (off) or up to 86400000 (1 day), got "
                   + std::to_string(f), false;
  if (f <= c.out_of_orderness_ms)
    return error = "watermark.max_future_skew_ms: must exceed watermark.out_of_orderness_ms ("
                   + std::to_string(c.out_of_orderness_ms) + "), got " + std::to_string(f)
                   + " (0 turns the check off)", false;
  return true;
}

/// A seed list without the switch (or the reverse) is a config mistake, not a default to guess.
bool validate_redis_cluster(const job_config& c, std::string& error) {
  if (!c.redis_cluster) {
    if (!c.redis_nodes.empty())
      return error = "redis.nodes: only used with redis.cluster = true (one Redis: redis.host and redis.port)", false;
    return true;
  }
  if (c.redis_nodes.empty())
    return error = "redis.nodes: required when redis.cluster = true (the cluster's seeds, [\"host:port\", ...])",
           false;
  for (const auto& n : c.redis_nodes) {
    std::string host;
    int port = 0;
    if (!parse_host_port(n, host, port)) return error = "redis.nodes: expected \"host:port\", got '" + n + "'", false;
  }
  return true;
}

bool validate(const job_config& c, std::string& error) {
  auto fail = [&](std::string msg) { return error = std::move(msg), false; };
  if (c.source_kind != "kafka" && c.source_kind != "file")
    return fail("source.kind: expected 'kafka' or 'file', got '" + c.source_kind + "'");
  if (c.source_kind == "file" && c.source_path.empty())
    return fail("source.path: required when source.kind = 'file'");
  if (c.source_partitions < 1 || c.source_partitions > 4096)
    return fail("source.partitions: expected 1..4096");
  if (c.source_max_rate_per_partition < 0 || c.source_max_rate_per_partition > 100'000'000)
    return fail("source.max_rate_per_partition: expected 0..100000000 (0 = no limit)");
  if (c.redis_port < 1 || c.redis_port > 65535) return fail("redis.port: expected 1..65535");
  if (!validate_redis_cluster(c, error)) return false;
  if (c.max_parallelism < 1 || c.max_parallelism > 32768)
    return fail("engine.max_parallelism: expected 1..32768");
  for (auto [name, v] : {std::pair{"engine.user_shards", c.user_shards},
                         std::pair{"engine.category_shards", c.category_shards}})
    if (v < 1 || v > c.max_parallelism)
      return fail(std::string(name) + ": expected 1..engine.max_parallelism");
  if (c.sinks < 1 || c.sinks > 64) return fail("engine.sinks: expected 1..64");
  if (c.batch_events < 1) return fail("engine.batch_events: expected >= 1");
  if (c.flush_interval_ms < 1) return fail("engine.flush_interval_ms: expected >= 1");
  if (c.out_of_orderness_ms < 0) return fail("watermark.out_of_orderness_ms: expected >= 0");
  if (!validate_future_skew(c, error)) return false;
  if (c.checkpoint_interval_ms < 0) return fail("checkpoint.interval_ms: expected >= 0 (0 = off)");
  if (c.checkpoint_timeout_ms < 1) return fail("checkpoint.timeout_ms: expected >= 1");
  if (c.checkpoint_keep < 1) return fail("checkpoint.keep: expected >= 1");
  if (c.dead_letter_kind != "file" && c.dead_letter_kind != "kafka")
    return fail("dead_letter.kind: expected 'file' or 'kafka'");
  if (c.shutdown_timeout_ms < 100) return fail("node.shutdown_timeout_ms: expected >= 100");
  if (c.sink_stall_timeout_ms < 0) return fail("sink.stall_timeout_ms: expected >= 0 (0 = retry forever)");
  if (c.sink_delete_journal_ms < 0 || c.sink_delete_journal_ms > 3600000)
    return fail("sink.delete_journal_ms: expected 0..3600000 (0 = no deletes kept for a resync)");
  if (c.dead_letter_max_payload_bytes < 1 || c.dead_letter_max_payload_bytes > 16LL * 1024 * 1024)
    return fail("dead_letter.max_payload_bytes: expected 1..16777216");
  if (c.dead_letter_kafka_max_message_bytes < 1000 || c.dead_letter_kafka_max_message_bytes > 1000000000)
    return fail("dead_letter.kafka_max_message_bytes: expected 1000..1000000000 (librdkafka's range)");
  if (c.metrics_port < 0 || c.metrics_port > 65535) return fail("metrics.port: expected 0..65535 (0 = off)");
  if (c.metrics_port > 0 && c.metrics_host.empty()) return fail("metrics.host: required when metrics.port is set");
  if (c.serve_port < 0 || c.serve_port > 65535) return fail("serve.port: expected 0..65535 (0 = any free port)");
  if (c.serve_threads < 1 || c.serve_threads > 64) return fail("serve.threads: expected 1..64");
  if (c.serve_max_batch < 1 || c.serve_max_batch > 100000) return fail("serve.max_batch: expected 1..100000");
  if (c.serve_deadline_ms < 1) return fail("serve.deadline_ms: expected >= 1");
  if (c.serve_max_connections < 1) return fail("serve.max_connections: expected >= 1");
  if (c.serve_header_timeout_ms < 1) return fail("serve.header_timeout_ms: expected >= 1");
  if (c.serve_idle_timeout_ms < 1) return fail("serve.idle_timeout_ms: expected >= 1");
  if (c.serve_max_body_bytes < 1024) return fail("serve.max_body_bytes: expected >= 1024");
  if (c.serve_cache_max_entries < 0) return fail("serve.cache.max_entries: expected >= 0 (0 = off)");
  if (c.cluster_connect_timeout_ms < 1) return fail("cluster.connect_timeout_ms: expected >= 1");
  if (c.cluster_peer_timeout_ms < 1000) return fail("cluster.peer_timeout_ms: expected >= 1000");
  if (c.cluster_replace_after_ms < 0) return fail("cluster.replace_after_ms: expected >= 0 (0 = never)");
  return validate_tls(c, error);
}

}  // namespace

std::vector<config_key_doc> job_config_keys() {
  job_config defaults;
  std::vector<config_key_doc> out;
  for (const auto& k : key_table()) {
    if (k.flag != nullptr) {
      out.push_back({k.name, "boolean", defaults.*k.flag ? "true" : "false", k.help});
      continue;
    }
    if (k.list != nullptr) {
      out.push_back({k.name, "array of strings", "[]", k.help});
      continue;
    }
    bool text = k.text != nullptr;
    out.push_back({k.name, text ? "string" : "integer",
                   text ? defaults.*k.text : std::to_string(defaults.*k.number), k.help});
  }
  return out;
}

bool load_job_config(const std::string& path, const std::vector<std::string>& overrides,
                     job_config& out, std::string& error) {
  out = job_config{};
  if (!path.empty() && !load_file(path, out, error)) return false;
  for (const auto& kv : overrides)
    if (!apply_override(kv, out, error)) return false;
  return validate(out, error);
}

void make_config_paths_absolute(job_config& cfg) {
  for (const auto& k : key_table()) {
    if (!k.is_path || k.text == nullptr || (cfg.*k.text).empty()) continue;
    cfg.*k.text = std::filesystem::absolute(cfg.*k.text).lexically_normal().string();
  }
}

std::string job_config_toml(const job_config& cfg) {
  // toml++ does the quoting and escaping; the key table decides what is written.
  toml::table root;
  const job_config defaults;
  for (const auto& k : key_table()) {
    // An empty text that is also the default is left out, so that a section such
    // as [cluster.tls] appears only when set (a test or an operator may append it).
    if (k.text != nullptr && (cfg.*k.text).empty() && (defaults.*k.text).empty()) continue;
    // Nested keys as nested tables ([cluster.tls] ca_file), never as a quoted 'tls.ca_file'.
    std::string_view name = k.name;
    auto* section = &root;
    for (auto dot = name.find('.'); dot != std::string_view::npos; dot = name.find('.')) {
      section = section->emplace<toml::table>(name.substr(0, dot)).first->second.as_table();
      name.remove_prefix(dot + 1);
    }
    auto key = name;
    if (k.text != nullptr) {
      section->insert_or_assign(key, cfg.*k.text);
    } else if (k.flag != nullptr) {
      section->insert_or_assign(key, cfg.*k.flag);
    } else if (k.list != nullptr) {
      toml::array items;
      for (const auto& item : cfg.*k.list) items.push_back(item);
      section->insert_or_assign(key, std::move(items));
    } else {
      section->insert_or_assign(key, cfg.*k.number);
    }
  }
  if (!cfg.nodes.empty()) {
    toml::array nodes;
    for (const auto& n : cfg.nodes) nodes.push_back(toml::table{{"id", n.id}, {"host", n.host}, {"port", n.port}});
    root["cluster"].as_table()->insert_or_assign("node", std::move(nodes));
  }
  std::ostringstream out;
  out << root << "\n";
  return out.str();
}

}  // namespace rtfeat

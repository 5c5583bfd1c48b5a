// Source set-up for `rtfeat node` (see node_sources.hpp).
#include "cmd/node_sources.hpp"

#include <iostream>

#include "runtime/source/file_source.hpp"

namespace rtfeat::cmd {

namespace {

bool open_kafka(const job_config& cfg, bool drain, node_sources& out, std::string& error) {
  out.consumer = kafka_consumer::create(cfg.source_bootstrap, cfg.source_group_id, error);
  if (!out.consumer) return false;
  auto n = out.consumer->partition_count(cfg.source_topic, error);
  if (n < 0) return false;
  if (n != cfg.source_partitions) {
    error = "source.partitions = " + std::to_string(cfg.source_partitions) + " but topic '"
            + cfg.source_topic + "' has " + std::to_string(n)
            + " partitions; set source.partitions to match (the oracle partitions with it)";
    return false;
  }
  std::vector<partition_offsets> offsets;
  if (!out.consumer->query_offsets(cfg.source_topic, n, offsets, error)) return false;
  std::vector<int64_t> start, end;
  for (const auto& o : offsets) {
    if (o.low > 0)
      std::cerr << "rtfeat: warning: " << cfg.source_topic << "[" << o.partition
                << "] starts at offset " << o.low
                << ": the broker dropped older messages before they were read\n";
    out.partitions.push_back(o.partition);
    start.push_back(o.low);
    end.push_back(o.high);
  }
  out.sources = out.consumer->assign(cfg.source_topic, out.partitions, start, drain ? &end : nullptr, error);
  return !out.sources.empty();
}

}  // namespace

bool open_node_sources(const job_config& cfg, bool drain, node_sources& out, std::string& error) {
  if (cfg.source_kind == "kafka") return open_kafka(cfg, drain, out, error);
  auto p = static_cast<int32_t>(cfg.source_partitions);
  out.sources = open_file_sources(cfg.source_path, p, error);
  for (int32_t i = 0; i < p; ++i) out.partitions.push_back(i);
  return !out.sources.empty();
}

}  // namespace rtfeat::cmd

// Source set-up for `rtfeat node` (see node_sources.hpp).
#include "actors/node/node_sources.hpp"

#include <algorithm>
#include <iostream>
#include <mutex>
#include <thread>

#include "runtime/source/file_source.hpp"

namespace rtfeat::node {

namespace {

/// Consumers being destroyed off the node's thread; joined when the process exits.
struct retired_consumers {
  std::mutex mutex;
  std::vector<std::thread> threads;
  ~retired_consumers() {
    for (auto& t : threads) t.join();
  }
};

retired_consumers& retired() {
  static retired_consumers r;
  return r;
}

bool wanted(const std::vector<int32_t>* only, int32_t p) {
  return only == nullptr || std::binary_search(only->begin(), only->end(), p);
}

bool open_kafka(const job_config& cfg, bool drain, const std::map<int32_t, int64_t>& resume,
                node_sources& out, std::string& error, const std::vector<int32_t>* only) {
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
    if (!wanted(only, o.partition)) continue;
    auto r = resume.find(o.partition);
    int64_t from = r != resume.end() ? r->second : o.low;
    if (from < o.low)
      std::cerr << "rtfeat: warning: " << cfg.source_topic << "[" << o.partition
                << "]: offset " << from << " is gone, the broker starts at " << o.low
                << ": messages were dropped before they were read\n";
    else if (r == resume.end() && o.low > 0)
      std::cerr << "rtfeat: warning: " << cfg.source_topic << "[" << o.partition << "]: starts at offset " << o.low
                << ", not 0: retention deleted its first " << o.low << " messages before this job read them\n";
    from = std::max(from, o.low);
    out.partitions.push_back(o.partition);
    start.push_back(from);
    end.push_back(o.high);
  }
  out.start_offsets = start;
  if (out.partitions.empty()) return true;  // a cluster node with more nodes than partitions
  out.sources = out.consumer->assign(cfg.source_topic, out.partitions, start, drain ? &end : nullptr, error);
  return !out.sources.empty();
}

}  // namespace

bool open_node_sources(const job_config& cfg, bool drain, const std::map<int32_t, int64_t>& resume,
                       node_sources& out, std::string& error, const std::vector<int32_t>* only) {
  if (cfg.source_kind == "kafka") return open_kafka(cfg, drain, resume, out, error, only);
  auto p = static_cast<int32_t>(cfg.source_partitions);
  std::vector<int64_t> start;
  for (int32_t i = 0; i < p; ++i) {
    auto r = resume.find(i);
    start.push_back(r != resume.end() ? r->second : 0);
  }
  auto all = open_file_sources(cfg.source_path, p, start, error, only);
  if (all.empty()) return false;
  for (int32_t i = 0; i < p; ++i) {
    if (!wanted(only, i)) continue;  // a cluster node reads its own partitions of the file
    out.partitions.push_back(i);
    out.start_offsets.push_back(start[static_cast<size_t>(i)]);
    out.sources.push_back(std::move(all[static_cast<size_t>(i)]));
  }
  return true;
}

void close_in_background(node_sources& src) {
  src.sources.clear();  // the partition queues go before their consumer
  if (!src.consumer) return;
  auto& r = retired();
  std::lock_guard lock(r.mutex);
  r.threads.emplace_back([consumer = std::move(src.consumer)]() mutable { consumer.reset(); });
}

}  // namespace rtfeat::node

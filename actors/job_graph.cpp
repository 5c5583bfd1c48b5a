// Dataflow wiring (see job_graph.hpp). Shards get contiguous key-group ranges.
#include "actors/job_graph.hpp"

#include "caf/all.hpp"
#include "actors/dead_letter_sink.hpp"
#include "actors/keyed_shard.hpp"
#include "actors/partition_reader.hpp"
#include "actors/redis_sink.hpp"
#include "actors/routing.hpp"

namespace rtfeat {

job_graph spawn_job_graph(caf::actor_system& sys, const job_graph_settings& s) {
  const auto& cfg = *s.config;
  job_graph g;
  g.dead_letters = sys.spawn<caf::detached>(dead_letter_sink, s.dead_letters, s.metrics);
  auto shard_count = static_cast<size_t>(cfg.user_shards + cfg.category_shards);
  for (int64_t i = 0; i < cfg.sinks; ++i) {
    sink_settings ss{cfg.redis_host, static_cast<int>(cfg.redis_port), shard_count,
                     cfg.flush_interval_ms, s.on_drained, s.metrics};
    g.sinks.push_back(sys.spawn<caf::detached>(redis_sink, ss));
  }
  auto spawn_shards = [&](shard_kind kind, int64_t n) {
    std::vector<caf::actor> out;
    for (int64_t i = 0; i < n; ++i) {
      shard_settings sh{kind, s.plan, s.sources.size(), g.sinks, cfg.flush_interval_ms, s.metrics};
      out.push_back(sys.spawn(keyed_shard, sh));
    }
    g.shards.insert(g.shards.end(), out.begin(), out.end());
    return out;
  };
  auto routes = std::make_shared<routing>();
  auto groups = static_cast<uint32_t>(cfg.max_parallelism);
  routes->users.assign(spawn_shards(shard_kind::user, cfg.user_shards), groups);
  routes->groups.assign(spawn_shards(shard_kind::group, cfg.category_shards), groups);
  for (size_t i = 0; i < s.sources.size(); ++i) {
    reader_settings rs;
    rs.index = static_cast<uint32_t>(i);
    rs.partition = s.partitions[i];
    rs.source = s.sources[i];
    rs.drain = s.drain;
    rs.out_of_orderness_ms = cfg.out_of_orderness_ms;
    rs.max_lateness_ms = s.plan->max_lateness_ms;
    rs.idle_timeout_ms = cfg.idle_timeout_ms;
    rs.batch_events = static_cast<size_t>(cfg.batch_events);
    rs.plan = s.plan;
    rs.routes = routes;
    rs.dead_letters = g.dead_letters;
    rs.metrics = s.metrics;
    g.readers.push_back(sys.spawn(partition_reader, std::move(rs)));
  }
  return g;
}

}  // namespace rtfeat

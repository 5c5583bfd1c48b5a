// Dataflow wiring (see job_graph.hpp). Shards get contiguous key-group ranges
// (runtime/cluster/placement.hpp: one node is the single-node split).
#include "actors/job_graph.hpp"

#include <algorithm>
#include <utility>

#include "caf/all.hpp"
#include "actors/atoms.hpp"
#include "actors/checkpoint_coordinator.hpp"
#include "actors/dead_letter_sink.hpp"
#include "actors/partition_reader.hpp"
#include "actors/redis_sink.hpp"
#include "actors/snapshot_writer.hpp"
#include "runtime/cluster/placement.hpp"

namespace rtfeat {

namespace {

// Events all readers of a node may poll at once: 16 k (times max_in_flight)
// is a few tens of milliseconds of shard work, however many partitions.
constexpr size_t poll_budget = 16384;

caf::actor spawn_coordinator(caf::actor_system& sys, const job_graph_settings& s, size_t shards) {
  const auto& cfg = *s.config;
  coordinator_settings cs;
  cs.interval_ms = s.store ? cfg.checkpoint_interval_ms : 0;
  cs.timeout_ms = cfg.checkpoint_timeout_ms;
  cs.keep = static_cast<size_t>(cfg.checkpoint_keep);
  cs.store = s.store;
  cs.catalogue_hash = s.catalogue_hash;
  cs.topic = cfg.source_kind == "kafka" ? cfg.source_topic : cfg.source_path;
  cs.shards = shards * s.node_count;  // snapshots and sink acks come from every node
  cs.sinks = static_cast<size_t>(cfg.sinks) * s.node_count;
  cs.metrics = s.metrics;
  cs.on_commit = s.checkpoint_listener;
  cs.meta = {{"source.kind", cfg.source_kind}, {"engine.max_parallelism", std::to_string(cfg.max_parallelism)}};
  if (!cfg.nodes.empty()) {
    std::string ids;
    for (const auto& n : cfg.nodes) ids += (ids.empty() ? "" : ",") + n.id;
    cs.meta["cluster.nodes"] = ids;
  }
  return sys.spawn(checkpoint_coordinator, std::move(cs));
}

/// This node's shards by key group, in the order the sinks are given them
/// (user shards, then category shards): where an orphan sweep sends a key.
std::shared_ptr<const orphan_routes> orphan_routes_of(const job_graph_settings& s,
                                                      const placement& place) {
  const auto& cfg = *s.config;
  auto routes =
    std::make_shared<orphan_routes>(*s.plan, static_cast<uint32_t>(cfg.max_parallelism));
  for (auto [user, n] : {std::pair{true, cfg.user_shards}, std::pair{false, cfg.category_shards}}) {
    auto per_node = static_cast<uint32_t>(n);
    for (uint32_t i = 0; i < per_node; ++i)
      routes->add_shard(user, place.key_groups_of_shard(s.node_index * per_node + i, per_node));
  }
  return routes;
}

}  // namespace

std::vector<caf::actor> job_graph::all() const {
  std::vector<caf::actor> out = readers;
  out.insert(out.end(), shards.begin(), shards.end());
  out.insert(out.end(), sinks.begin(), sinks.end());
  for (const auto& a : {dead_letters, coordinator, snapshot_writer})
    if (a) out.push_back(a);
  return out;
}

job_graph spawn_node_part(caf::actor_system& sys, const job_graph_settings& s) {
  const auto& cfg = *s.config;
  job_graph g;
  auto groups = static_cast<uint32_t>(cfg.max_parallelism);
  auto shard_count = static_cast<size_t>(cfg.user_shards + cfg.category_shards);
  auto readers = s.total_readers > 0 ? s.total_readers : s.sources.size();
  placement place(s.node_count, static_cast<uint32_t>(cfg.source_partitions), groups,
                  static_cast<uint32_t>(cfg.user_shards), static_cast<uint32_t>(cfg.category_shards));
  g.dead_letters = sys.spawn<caf::detached>(dead_letter_sink, s.dead_letters, s.metrics);
  g.coordinator = s.coordinator ? s.coordinator : spawn_coordinator(sys, s, shard_count);
  if (s.store) g.snapshot_writer = sys.spawn<caf::detached>(snapshot_writer, s.store, s.catalogue_hash, g.coordinator);
  auto orphans = orphan_routes_of(s, place);
  for (int64_t i = 0; i < cfg.sinks; ++i) {
    sink_settings ss{.host = cfg.redis_host,
                     .port = static_cast<int>(cfg.redis_port),
                     .cluster = cfg.redis_cluster,
                     .cluster_seeds = cfg.redis_nodes,
                     .credentials = redis_credentials_from_env(cfg.redis_username),
                     .shards = shard_count,
                     .flush_interval_ms = cfg.flush_interval_ms,
                     .on_drained = s.on_drained,
                     .coordinator = g.coordinator,
                     .metrics = s.metrics,
                     .track_ttl = s.node_count == 1,
                     .stall_timeout_ms = cfg.sink_stall_timeout_ms,
                     .delete_journal_ms = cfg.sink_delete_journal_ms,
                     .abandon = s.abandon_sinks,
                     .writer = std::to_string(s.node_index) + "." + std::to_string(i),
                     .orphans = orphans,
                     .index = static_cast<size_t>(i),
                     .sinks = static_cast<size_t>(cfg.sinks)};
    g.sinks.push_back(sys.spawn<caf::detached>(redis_sink, ss));
  }
  auto spawn_shards = [&](shard_kind kind, int64_t n) {
    std::vector<caf::actor> out;
    auto per_node = static_cast<uint32_t>(n);
    for (uint32_t i = 0; i < per_node; ++i) {
      auto job_shard = s.node_index * per_node + i;
      shard_settings sh{.kind = kind,
                        .plan = s.plan,
                        .readers = readers,
                        .sinks = g.sinks,
                        .flush_interval_ms = cfg.flush_interval_ms,
                        .metrics = s.metrics,
                        .key_groups = place.key_groups_of_shard(job_shard, per_node),
                        .max_parallelism = groups,
                        .file_offset = kind == shard_kind::user ? 0 : groups,
                        .snapshot_writer = g.snapshot_writer,
                        .restore = s.restore,
                        .rewrite_at_start = s.resync};
      out.push_back(sys.spawn(keyed_shard, sh));
    }
    g.shards.insert(g.shards.end(), out.begin(), out.end());
    return out;
  };
  g.user_shards = spawn_shards(shard_kind::user, cfg.user_shards);
  g.category_shards = spawn_shards(shard_kind::category, cfg.category_shards);
  for (const auto& sink : g.sinks) caf::anon_send(sink, shards_atom::value, g.shards);  // whom a resync asks
  return g;
}

void spawn_readers(caf::actor_system& sys, const job_graph_settings& s, const std::shared_ptr<const routing>& routes,
                   job_graph& g) {
  const auto& cfg = *s.config;
  for (size_t i = 0; i < s.sources.size(); ++i) {
    reader_settings rs;
    rs.index = s.reader_indices.empty() ? static_cast<uint32_t>(i) : s.reader_indices[i];
    rs.partition = s.partitions[i];
    rs.source = s.sources[i];
    rs.drain = s.drain;
    rs.out_of_orderness_ms = cfg.out_of_orderness_ms;
    rs.max_future_skew_ms = cfg.max_future_skew_ms;
    rs.max_lateness_ms = s.plan->max_lateness_ms;
    rs.idle_timeout_ms = cfg.idle_timeout_ms;
    rs.batch_events = static_cast<size_t>(cfg.batch_events);
    rs.poll_max = std::clamp<size_t>(poll_budget / std::max<size_t>(1, s.sources.size()), 64, 2048);
    rs.max_rate = cfg.source_max_rate_per_partition;
    rs.plan = s.plan;
    rs.routes = routes;
    rs.dead_letters = g.dead_letters;
    rs.coordinator = g.coordinator;
    rs.start_offset = s.start_offsets.empty() ? 0 : s.start_offsets[i];
    rs.start_watermark = s.start_watermarks.empty() ? no_watermark : s.start_watermarks[i];
    rs.start_future_suspect = s.start_future_suspects.empty() ? no_future_suspect : s.start_future_suspects[i];
    rs.metrics = s.metrics;
    g.readers.push_back(sys.spawn(partition_reader, std::move(rs)));
  }
}

job_graph spawn_job_graph(caf::actor_system& sys, const job_graph_settings& s) {
  auto g = spawn_node_part(sys, s);
  auto groups = static_cast<uint32_t>(s.config->max_parallelism);
  auto routes = std::make_shared<routing>();
  routes->users.assign(g.user_shards, groups);
  routes->categories.assign(g.category_shards, groups);
  spawn_readers(sys, s, routes, g);
  caf::anon_send(g.coordinator, start_atom::value, g.readers);
  return g;
}

std::string await_restored_shards(caf::actor_system& sys, caf::scoped_actor& self, const job_graph& g) {
  std::string failure;
  for (const auto& shard : g.shards)
    self->request(shard, caf::infinite, ready_atom::value)
      .receive([](ready_atom) {}, [&](caf::error& e) { failure = sys.render(e); });
  return failure;
}

}  // namespace rtfeat

// Raw baseline of the ingest bench: the engine's own feature states fed by one
// plain loop over pre-parsed events, no actors, no Kafka, no Redis. It bounds
// what the engine could reach on one core; `rtfeat node` is compared against it.
// Prints one JSON object: events, kept, late, seconds, events_per_s, key_updates,
// redis_commands, commands_by_name and commands_by_family per event (with --count-commands),
// cpu_seconds and events_per_cpu_s (the loop thread's CPU time: comparable while other
// processes load the box); resp_bytes with --sink.
#include <chrono>
#include <ctime>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "config/feature_catalogue.hpp"
#include "config/job_config.hpp"
#include "bench/command_breakdown.hpp"
#include "runtime/event_parser.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/redis/update_coalescer.hpp"
#include "runtime/murmur2.hpp"
#include "runtime/redis/command_plan.hpp"
#include "runtime/redis/resp_command_sink.hpp"
#include "runtime/window/partition_watermark.hpp"
#include "runtime/window/watermark_merge.hpp"

namespace rtfeat {
namespace {

using state_list = std::vector<std::unique_ptr<feature_state>>;
using wall = std::chrono::steady_clock;

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

/// Reads and parses every line of `path` (not timed); invalid lines are dropped.
std::vector<event> load_events(const std::string& path, uint64_t& lines) {
  std::ifstream in(path);
  event_parser parser;
  std::vector<event> out;
  std::string line;
  lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    event e;
    if (!parser.parse(line, e)) out.push_back(std::move(e));
  }
  return out;
}

struct loop_result {
  uint64_t kept = 0, late = 0, key_updates = 0, redis_commands = 0, resp_bytes = 0;
  double seconds = 0;
  command_breakdown commands;  // filled with --count-commands
  double cpu_seconds = 0;  // of this thread: robust when other processes share the cores
};

/// The timed loop: SPEC §4a's reader logic, then every state of the event's scopes.
struct loop_options {
  int32_t partitions = 8;
  // Flush cadence. By event count by default: the work is then the same on any
  // machine, whereas a wall-clock cadence makes a slow loop flush more often
  // (flush cost grows with state, see docs/performance.md).
  int64_t flush_ms = 0;           // also flush every this many ms of wall time; 0 = off
  uint64_t flush_events = 20480;  // flush after this many kept events; 0 = off
  // Also coalesce each flush per key and plan its Redis commands, as the sink
  // does (not sent anywhere): a repeatable commands-per-event figure.
  bool count_commands = false;
  // The sink's own CPU work on each flush instead (no Redis): the updates moved
  // into a coalescer one by one, planned and encoded as RESP into a reused
  // buffer, as redis_writer does; instruction counts of the shard -> sink path.
  bool sink = false;
};

loop_result run_loop(const std::vector<event>& events, const feature_plan& plan, const job_config& cfg,
                     const loop_options& opt) {
  const int32_t partitions = opt.partitions;
  std::vector<feature_scope> user_scopes, group_scopes;
  scope_interners user_ids, group_ids;  // as in the shards: one set per shard kind
  state_list user = make_feature_states(plan, true, user_scopes, nullptr, &user_ids);
  state_list group = make_feature_states(plan, false, group_scopes, nullptr, &group_ids);
  std::vector<partition_watermark> marks(static_cast<size_t>(partitions),
                                         partition_watermark(cfg.out_of_orderness_ms));
  watermark_merge merge(static_cast<size_t>(partitions));
  std::vector<bool> has_data(static_cast<size_t>(partitions), false);
  for (const auto& e : events) has_data[static_cast<size_t>(partition_of(e.user_id, partitions))] = true;
  for (size_t p = 0; p < has_data.size(); ++p) merge.exclude(p, !has_data[p]);

  std::vector<key_update> updates;
  std::string key;
  scope_interners::ids ids;
  loop_result r;
  update_coalescer coalescer;
  ttl_tracker ttl;
  std::string resp;
  std::vector<std::string_view> resp_args;
  auto advance_all = [&] {
    for (size_t p = 0; p < marks.size(); ++p) merge.update(p, marks[p].current());
    int64_t w = merge.current();
    for (auto& s : user) s->advance(w);
    for (auto& s : group) s->advance(w);
  };
  auto flush_all = [&] {
    for (auto& s : user) s->flush(updates);
    for (auto& s : group) s->flush(updates);
    r.key_updates += updates.size();
    if (opt.count_commands || opt.sink)
      for (auto& u : updates) coalescer.add(std::move(u));
    if (opt.count_commands) {
      r.redis_commands += plan_commands(coalescer.take(), ttl, 0, r.commands);
    } else if (opt.sink) {
      resp.clear();
      resp_command_sink out(resp, resp_args);
      r.redis_commands += plan_commands(coalescer.take(), ttl, 0, out);
      r.resp_bytes += resp.size();
    }
    updates.clear();  // the sink's work is not part of this baseline
  };
  auto start = wall::now();
  double cpu_start = thread_cpu_seconds();
  auto last_flush = start;
  uint64_t seq = 0, since_flush = 0;
  for (const auto& e : events) {
    auto& mark = marks[static_cast<size_t>(partition_of(e.user_id, partitions))];
    if (mark.is_late(e.ts, plan.max_lateness_ms)) {
      ++r.late;
      continue;
    }
    int64_t wm_at_read = mark.current();
    mark.observe(e.ts);
    ++seq;
    auto bit = behavior_bit(e.kind);
    uint32_t mask = 0;
    for (size_t s = 1; s < feature_scope_count; ++s) {
      auto scope = static_cast<feature_scope>(s);
      if ((plan.scope_behaviors[s] & bit) != 0 && scope_key(scope, e, key)) mask |= scope_bit(scope);
    }
    if ((plan.scope_behaviors[0] & bit) != 0) {
      user_ids.intern(e, scope_bit(feature_scope::user), ids);
      for (auto& s : user) s->add_to(ids[0], e, wm_at_read, seq);
      user_ids.release_unused(ids);
    }
    group_ids.intern(e, mask, ids);
    for (size_t i = 0; i < group.size(); ++i)
      if ((mask & scope_bit(group_scopes[i])) != 0)
        group[i]->add_to(ids[static_cast<size_t>(group_scopes[i])], e, wm_at_read, seq);
    group_ids.release_unused(ids);
    ++since_flush;
    if (++r.kept % 1024 == 0) {
      advance_all();
      auto now = wall::now();
      if ((opt.flush_ms > 0 && now - last_flush >= std::chrono::milliseconds(opt.flush_ms))
          || (opt.flush_events > 0 && since_flush >= opt.flush_events)) {
        flush_all();
        last_flush = now;
        since_flush = 0;
      }
    }
  }
  for (size_t p = 0; p < has_data.size(); ++p) merge.exclude(p, true);
  advance_all();
  flush_all();
  r.seconds = std::chrono::duration<double>(wall::now() - start).count();
  r.cpu_seconds = thread_cpu_seconds() - cpu_start;
  return r;
}

}  // namespace
}  // namespace rtfeat

int main(int argc, char** argv) {
  CLI::App app{"raw baseline: feature states in one plain loop, no actors, no Redis"};
  std::string config = "config/rtfeat.toml", events_path;
  std::vector<std::string> sets;
  rtfeat::loop_options opt;
  app.add_option("--config", config, "job config (TOML)")->capture_default_str();
  app.add_option("--set", sets, "override a config key: section.key=value");
  app.add_option("--events", events_path, "JSONL events file")->required();
  app.add_option("--partitions", opt.partitions, "Kafka partitions to mimic")->capture_default_str();
  app.add_option("--flush-ms", opt.flush_ms, "also flush every this many ms of wall time (0 = off)")
    ->capture_default_str();
  app.add_option("--flush-events", opt.flush_events, "flush after this many kept events (0 = off)")
    ->capture_default_str();
  app.add_flag("--count-commands", opt.count_commands,
               "coalesce each flush and count the Redis commands the sink would send (slower)");
  app
    .add_flag("--sink", opt.sink,
              "also do the sink's CPU work per flush: coalesce, plan, encode RESP (no Redis)")
    ->excludes("--count-commands");
  CLI11_PARSE(app, argc, argv);

  rtfeat::job_config cfg;
  rtfeat::feature_catalogue catalogue;
  std::string error;
  if (!rtfeat::load_job_config(config, sets, cfg, error)
      || !rtfeat::load_feature_catalogue(cfg.features_file, catalogue, error)) {
    std::fprintf(stderr, "raw_baseline: %s\n", error.c_str());
    return 2;
  }
  if (opt.partitions <= 0) opt.partitions = 1;
  auto plan = rtfeat::build_feature_plan(catalogue);
  uint64_t lines = 0;
  auto events = rtfeat::load_events(events_path, lines);
  auto r = rtfeat::run_loop(events, plan, cfg, opt);
  double eps = r.seconds > 0 ? static_cast<double>(lines) / r.seconds : 0;
  double cpu_eps = r.cpu_seconds > 0 ? static_cast<double>(lines) / r.cpu_seconds : 0;
  std::printf(
    "{\"events\":%llu,\"valid\":%zu,\"kept\":%llu,\"late\":%llu,\"key_updates\":%llu,\"redis_commands\":%llu,"
    "\"seconds\":%.6f,\"events_per_s\":%.0f,\"cpu_seconds\":%.6f,\"events_per_cpu_s\":%.0f",
    static_cast<unsigned long long>(lines), events.size(), static_cast<unsigned long long>(r.kept),
    static_cast<unsigned long long>(r.late), static_cast<unsigned long long>(r.key_updates),
    static_cast<unsigned long long>(r.redis_commands), r.seconds, eps, r.cpu_seconds, cpu_eps);
  if (opt.count_commands) std::printf(",%s", r.commands.json(lines).c_str());
  if (opt.sink) std::printf(",\"resp_bytes\":%llu", static_cast<unsigned long long>(r.resp_bytes));
  std::printf("}\n");
  return 0;
}

// Checkpoint bench (issue 6): the state of N users (default 1 000 000) in the
// default catalogue's feature states, checkpointed the way a node does it
// (each shard saves what changed, on its own thread: its pause; the snapshot
// writer merges that into the bodies it keeps and writes the key groups that
// changed; the manifest is committed), then restored (find and verify the
// checkpoint, keeping every key group's body as it is read, decode it into fresh states). No actors:
// the node's checkpoint costs this plus barrier alignment and the sinks' flush.
// The first checkpoint of a state saves every entity; later ones only the
// entities changed since (runtime/features/save_tracker.hpp): after each full
// checkpoint, --changed users get one more event and are checkpointed again.
// Prints one JSON object (the fastest of --runs): users, keys, bytes,
// duration_ms, encode_ms, write_ms (the full checkpoint), changed_users,
// incremental_ms, incremental_encode_ms (the shards' pause; _cpu_ms: the CPU time
// of the slowest shard's, what it is on an idle machine),
// incremental_write_ms (the writer's merge and files, in the background),
// incremental_files (key-group files written), incremental_entities (saved:
// changed, erased or out of a window), restore_ms, verify_ms, read_ms, decode_ms
// (the fastest of --restores restores of each run's checkpoint).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "config/feature_catalogue.hpp"
#include "config/job_config.hpp"
#include "runtime/checkpoint/checkpoint_store.hpp"
#include "runtime/checkpoint/shard_snapshots.hpp"
#include "runtime/checkpoint/shard_state_codec.hpp"
#include "runtime/checkpoint/state_changes.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/murmur2.hpp"

namespace rtfeat {
namespace {

using state_list = std::vector<std::unique_ptr<feature_state>>;
using wall = std::chrono::steady_clock;
constexpr int64_t t0 = 1767225600000;  // 2026-01-01
constexpr uint32_t max_parallelism = 128;

double ms_since(wall::time_point start) {
  return std::chrono::duration<double, std::milli>(wall::now() - start).count();
}

double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

struct shard {
  std::unique_ptr<scope_interners> ids = std::make_unique<scope_interners>();  // the states point into it
  state_list states;
  std::vector<feature_scope> scopes;
  std::vector<std::string> names;
  uint32_t file_offset = 0;  // as the node: user key groups 0.., group key groups 128..
  std::vector<uint32_t> key_groups;
  std::vector<std::pair<uint32_t, std::string>> bodies;  // read for a restore
  shard_changes changes;                                   // the last save
  bool saved = false;                                      // as the node's shards: the first save is full

  std::vector<named_state> named() const {
    std::vector<named_state> out;
    for (size_t i = 0; i < states.size(); ++i) out.push_back({names[i], states[i].get()});
    return out;
  }
  size_t keys() const {
    size_t n = 0;
    for (const auto& s : states) n += s->entities();
    return n;
  }
};

/// Shard `index` of `count` of its kind, with the node's contiguous key-group range.
shard make_shard(const feature_plan& plan, bool user, size_t index, size_t count) {
  shard s;
  s.states = make_feature_states(plan, user, s.scopes, &s.names, s.ids.get());  // as the node: ids shared by scope
  s.file_offset = user ? 0 : max_parallelism;
  for (uint32_t g = 0; g < max_parallelism; ++g)
    if (g * count / max_parallelism == index) s.key_groups.push_back(g);
  return s;
}

/// The node's shards: `users` user shards and one category shard (the default).
std::vector<shard> make_shards(const feature_plan& plan, size_t users) {
  std::vector<shard> out;
  for (size_t i = 0; i < users; ++i) out.push_back(make_shard(plan, true, i, users));
  out.push_back(make_shard(plan, false, 0, 1));
  return out;
}

/// Runs fn(shard) for every shard on its own thread, as the node's shards run
/// concurrently on the scheduler; returns the wall time of the slowest.
template <class Fn>
double on_each(std::vector<shard>& shards, Fn fn) {
  auto start = wall::now();
  std::vector<std::thread> threads;
  threads.reserve(shards.size());
  for (auto& s : shards) threads.emplace_back([&] { fn(s); });
  for (auto& t : threads) t.join();
  return ms_since(start);
}

/// Every user views and clicks an item within 10 minutes (inside every window of
/// the catalogue); every tenth buys, in a campaign; items and categories repeat.
void fill(std::vector<shard>& shards, uint64_t n) {
  uint64_t seq = 0;
  event e;
  e.has_category = true;
  auto& groups = shards.back();
  for (uint64_t u = 0; u < n; ++u) {
    e.user_id = "u" + std::to_string(u);
    auto& users = shards[(key_group_of(e.user_id, max_parallelism) * (shards.size() - 1)) / max_parallelism];
    auto item = (u * 7919) % 50000;
    e.item_id = "i" + std::to_string(item);
    e.category_id = static_cast<int64_t>(item % 200);
    e.ts = t0 + static_cast<int64_t>(u % 600000);
    e.price = static_cast<double>(item % 1200);
    e.has_price = true;
    bool buys = u % 10 == 0;
    e.campaign_id = buys ? "c" + std::to_string(u % 50) : std::string();
    e.region = buys ? "hz" : std::string();
    for (auto kind : {behavior::view, behavior::click, behavior::purchase}) {
      if (kind == behavior::purchase && !buys) continue;
      e.kind = kind;
      e.has_amount = kind == behavior::purchase;
      e.amount = e.has_amount ? 19.9 : 0;
      for (auto* s : {&users, &groups})
        for (auto& f : s->states) f->add(e, no_watermark, seq++);
    }
  }
  std::vector<key_update> ignored;
  for (auto& s : shards)
    for (auto& f : s.states) f->advance(t0 + 600000), f->flush(ignored);  // snapshots follow a flush
}

/// One more click for `count` users spread over all of them (as a second of
/// traffic touches some users, not all), in the `span_ms` after the first
/// events; then event time moves on by `span_ms`, which ends some windows:
/// their entities change too.
void touch(std::vector<shard>& shards, uint64_t users, uint64_t count, int64_t span_ms) {
  uint64_t seq = 1ULL << 40;  // after fill()'s
  event e;
  e.has_category = true;
  e.kind = behavior::click;
  auto& groups = shards.back();
  uint64_t step = std::max<uint64_t>(1, users / std::max<uint64_t>(1, count));
  for (uint64_t u = 0; u < users && count > 0; u += step, --count) {
    e.user_id = "u" + std::to_string(u);
    auto& user_shard = shards[(key_group_of(e.user_id, max_parallelism) * (shards.size() - 1)) / max_parallelism];
    auto item = (u * 7919) % 50000;
    e.item_id = "i" + std::to_string(item);
    e.category_id = static_cast<int64_t>(item % 200);
    e.ts = t0 + 600000 + static_cast<int64_t>(u % static_cast<uint64_t>(span_ms));
    for (auto* s : {&user_shard, &groups})
      for (auto& f : s->states) f->add(e, no_watermark, seq++);
  }
  std::vector<key_update> ignored;
  for (auto& s : shards)
    for (auto& f : s.states) f->advance(t0 + 600000 + span_ms), f->flush(ignored);
}

struct timings {
  uint64_t bytes = 0;
  size_t files = 0, entities = 0;  // key-group files written, entities saved (put or erased)
  double encode_ms = 0, write_ms = 0, verify_ms = 0, read_ms = 0, decode_ms = 0;
  double encode_cpu_ms = 0;  // CPU time of the slowest shard's encode
  double presave_cpu_ms = 0;  // the same for the save after the flush, before the barrier
};

/// Every shard saves what changed at once, each on its own thread; the wall
/// time, and in `cpu_ms` the CPU time of the slowest (on a loaded machine the
/// wall time includes waiting for a core).
double save_each(std::vector<shard>& shards, double& cpu_ms) {
  std::vector<double> cpu(shards.size());
  std::vector<size_t> saved(shards.size());
  auto entities = [](const shard& s) {
    size_t n = 0;
    for (const auto& c : s.changes.states) n += c.entities.size();
    return n;
  };
  for (size_t i = 0; i < shards.size(); ++i) saved[i] = entities(shards[i]);
  auto wall_ms = on_each(shards, [&](shard& s) {
    auto start = thread_cpu_ms();
    save_shard_changes(s.named(), s.key_groups, max_parallelism, s.file_offset, s.changes);
    cpu[static_cast<size_t>(&s - shards.data())] = thread_cpu_ms() - start;
  });
  cpu_ms = *std::max_element(cpu.begin(), cpu.end());
  std::string each;
  for (size_t i = 0; i < shards.size(); ++i)
    each += " " + std::to_string(static_cast<int64_t>(cpu[i] * 1000)) + " us ("
            + std::to_string(entities(shards[i]) - saved[i]) + " entities)";
  std::fprintf(stderr,
               "bench_checkpoint: each shard's save, CPU time (user shards, category shard):%s\n",
               each.c_str());
  return wall_ms;
}

/// As a checkpoint of the node: every shard saves what changed since its last
/// save at once (the pause), then the snapshot writer merges and writes, then
/// the coordinator commits. `seq` as the shards' arrival counter: a new one on
/// a busy node.
bool checkpoint(const checkpoint_store& store, shard_snapshots& writer, std::vector<shard>& shards,
                uint64_t hash, uint64_t id, timings& r, std::string& error) {
  checkpoint_manifest m;
  m.id = id;
  m.catalogue_hash = hash;
  m.positions.push_back({"bench", 0, 0, t0 + 600000});
  r.encode_ms = save_each(shards, r.encode_cpu_ms);
  for (auto& s : shards) {
    s.changes.watermark = t0 + 600000, s.changes.seq = id;
    for (const auto& c : s.changes.states) r.entities += c.entities.size();
  }
  auto start = wall::now();
  for (auto& s : shards) {
    if (auto stored = writer.store(store, id, hash, s.changes, !s.saved, m.snapshots, r.files);
        !stored)
      return error = stored.message(), false;
    s.saved = true;
    s.changes = {};
  }
  std::string warning;  // retention or a late fsync: the bench times the commit either way
  if (auto committed = store.commit(m, 1, warning); !committed)
    return error = committed.message(), false;
  r.write_ms = ms_since(start);
  r.bytes = m.snapshot_bytes();
  return true;
}

/// As a restore of the node: find and verify the checkpoint, keeping every body as
/// it is read, then every shard decodes its key groups at once.
bool restore(const checkpoint_store& store, std::vector<shard>& shards, timings& r,
             std::string& error) {
  auto start = wall::now();
  std::vector<std::string> log;
  checkpoint_store::body_keeper keep;  // as the node: every body kept as it is verified
  auto found = store.find_restorable(std::nullopt, log, &keep);
  if (!found) return error = found.error().message(), false;
  const auto& m = *found;
  if (!m) return error = "no checkpoint", false;
  r.verify_ms = ms_since(start);
  start = wall::now();
  for (auto& s : shards)
    for (auto kg : s.key_groups) {
      auto it = keep.bodies.find(kg + s.file_offset);
      if (it == keep.bodies.end()) return error = "no body for key group " + std::to_string(kg + s.file_offset), false;
      s.bodies.emplace_back(kg, std::move(it->second));
    }
  r.read_ms = ms_since(start);
  std::atomic<bool> ok{true};
  std::vector<double> cpu(shards.size());
  r.decode_ms = on_each(shards, [&](shard& s) {
    auto cpu_start = thread_cpu_ms();
    int64_t watermark = no_watermark;
    uint64_t seq = 0;
    std::vector<std::string> dropped;
    std::string why;
    std::vector<std::string_view> views;
    for (const auto& [kg, body] : s.bodies) views.push_back(body);
    reserve_shard_state(views, s.named());
    for (const auto& [kg, body] : s.bodies)
      if (!decode_shard_state(body, s.named(), watermark, seq, dropped, why)) ok = false;
    for (auto& f : s.states) f->rewrite_all();
    s.bodies.clear();
    cpu[static_cast<size_t>(&s - shards.data())] = thread_cpu_ms() - cpu_start;
  });
  // What the decode costs whatever the neighbours do: on a loaded machine the wall time waits for a core.
  std::string each;
  for (auto ms : cpu) each += " " + std::to_string(static_cast<int64_t>(ms)) + " ms";
  std::fprintf(stderr, "bench_checkpoint: each shard's decode, CPU time (user shards, category shard):%s\n",
               each.c_str());
  if (!ok) error = "a snapshot body did not decode";
  return ok;
}

size_t keys_of(const std::vector<shard>& shards) {
  size_t n = 0;
  for (const auto& s : shards) n += s.keys();
  return n;
}

}  // namespace
}  // namespace rtfeat

int main(int argc, char** argv) {
  CLI::App app{"checkpoint bench: snapshot and restore the feature state of N users"};
  std::string config = "config/rtfeat.toml", dir;
  uint64_t users = 1000000, changed = 0;
  int64_t touch_ms = 60000;
  int runs = 3, restores = 1;
  app.add_option("--config", config, "job config (TOML): its features file")->capture_default_str();
  app.add_option("--users", users, "distinct users in the state")->capture_default_str();
  app.add_option("--runs", runs, "checkpoint + restore this many times, report the fastest")
    ->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--restores", restores,
                 "restore each run's checkpoint this many times into fresh states, count the fastest (the restore "
                 "alone is compared without building the state anew)")
    ->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--dir", dir, "checkpoint directory (emptied first)")->required();
  app.add_option("--changed", changed, "users changed before the incremental checkpoint (default: 1 % of --users)");
  app.add_option("--touch-ms", touch_ms,
                 "event time the changed users' events span and the watermark then moves on by (a node "
                 "checkpointing every second moves about 1000)")
    ->capture_default_str()->check(CLI::Range(int64_t{1}, int64_t{600000}));
  CLI11_PARSE(app, argc, argv);
  if (changed == 0) changed = std::max<uint64_t>(1, users / 100);

  rtfeat::job_config cfg;
  rtfeat::feature_catalogue catalogue;
  std::string error;
  if (!rtfeat::load_job_config(config, {}, cfg, error)
      || !rtfeat::load_feature_catalogue(cfg.features_file, catalogue, error)) {
    std::fprintf(stderr, "bench_checkpoint: %s\n", error.c_str());
    return 2;
  }
  auto plan = rtfeat::build_feature_plan(catalogue);
  auto user_shards = static_cast<size_t>(std::max<int64_t>(1, cfg.user_shards));
  // The best of `runs` checkpoints and restores: on a shared machine the
  // fastest run is the one least disturbed by neighbours. Each run builds its
  // state anew, so that its first checkpoint encodes everything.
  rtfeat::timings best, best_incremental;
  size_t restored_keys = 0, keys = 0, keys_now = 0;
  for (int run = 0; run < runs; ++run) {
    auto shards = rtfeat::make_shards(plan, user_shards);
    auto started = rtfeat::wall::now();
    rtfeat::fill(shards, users);
    std::fprintf(stderr, "bench_checkpoint: state of %llu users built in %.0f ms\n",
                 static_cast<unsigned long long>(users), rtfeat::ms_since(started));
    std::filesystem::remove_all(dir);
    auto opened = rtfeat::checkpoint_store::open(dir, rtfeat::open_mode::create);
    if (!opened) error = opened.error().message();
    auto store = opened ? std::move(*opened) : nullptr;
    rtfeat::timings r, inc;
    rtfeat::shard_snapshots writer;
    if (!store || !rtfeat::checkpoint(*store, writer, shards, catalogue.hash, 1, r, error)) {
      std::fprintf(stderr, "bench_checkpoint: checkpoint: %s\n", error.c_str());
      return 1;
    }
    keys = rtfeat::keys_of(shards);
    rtfeat::touch(shards, users, changed, touch_ms);
    // As a node's shards after each flush: save what changed while it is in the caches.
    rtfeat::save_each(shards, inc.presave_cpu_ms);
    keys_now = rtfeat::keys_of(shards);
    if (!rtfeat::checkpoint(*store, writer, shards, catalogue.hash, 2, inc, error)) {
      std::fprintf(stderr, "bench_checkpoint: incremental checkpoint: %s\n", error.c_str());
      return 1;
    }
    // The newest checkpoint holds the whole state: only its encoding was incremental.
    rtfeat::timings rs;
    for (int again = 0; again < restores; ++again) {
      auto fresh = rtfeat::make_shards(plan, user_shards);
      rtfeat::timings one;
      if (!rtfeat::restore(*store, fresh, one, error)) {
        std::fprintf(stderr, "bench_checkpoint: restore: %s\n", error.c_str());
        return 1;
      }
      restored_keys = rtfeat::keys_of(fresh);
      if (again == 0 || one.verify_ms + one.read_ms + one.decode_ms < rs.verify_ms + rs.read_ms + rs.decode_ms) rs = one;
    }
    std::fprintf(stderr, "bench_checkpoint: run %d: checkpoint %.0f ms, after %llu changed users %.0f ms, restore %.0f ms\n",
                 run + 1, r.encode_ms + r.write_ms, static_cast<unsigned long long>(changed),
                 inc.encode_ms + inc.write_ms, rs.verify_ms + rs.read_ms + rs.decode_ms);
    if (run == 0 || r.encode_ms + r.write_ms < best.encode_ms + best.write_ms)
      best.encode_ms = r.encode_ms, best.write_ms = r.write_ms, best.bytes = r.bytes;
    if (run == 0 || inc.encode_ms + inc.write_ms < best_incremental.encode_ms + best_incremental.write_ms)
      best_incremental = inc;
    if (run == 0 || rs.verify_ms + rs.read_ms + rs.decode_ms < best.verify_ms + best.read_ms + best.decode_ms)
      best.verify_ms = rs.verify_ms, best.read_ms = rs.read_ms, best.decode_ms = rs.decode_ms;
  }
  auto& r = best;
  if (restored_keys != keys_now) {
    std::fprintf(stderr, "bench_checkpoint: restored %zu keys of %zu\n", restored_keys, keys_now);
    return 1;
  }
  const auto& inc = best_incremental;
  std::printf(
    "{\"users\":%llu,\"keys\":%zu,\"bytes\":%llu,\"duration_ms\":%.1f,\"encode_ms\":%.1f,\"write_ms\":%.1f,"
    "\"changed_users\":%llu,\"incremental_ms\":%.1f,\"incremental_encode_ms\":%.1f,\"incremental_encode_cpu_ms\":%.2f,\"incremental_presave_cpu_ms\":%.2f,\"incremental_write_ms\":%.1f,"
    "\"incremental_files\":%zu,\"incremental_entities\":%zu,\"restore_ms\":%.1f,\"verify_ms\":%.1f,\"read_ms\":%.1f,\"decode_ms\":%.1f}\n",
    static_cast<unsigned long long>(users), keys, static_cast<unsigned long long>(r.bytes), r.encode_ms + r.write_ms,
    r.encode_ms, r.write_ms, static_cast<unsigned long long>(changed), inc.encode_ms + inc.write_ms, inc.encode_ms,
    inc.encode_cpu_ms, inc.presave_cpu_ms, inc.write_ms, inc.files, inc.entities, r.verify_ms + r.read_ms + r.decode_ms, r.verify_ms, r.read_ms, r.decode_ms);
  return 0;
}

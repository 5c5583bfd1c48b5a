// rtfeat checkpoints list | inspect ID [--key-group N] | verify ID: the operator's
// view of the checkpoint directory (docs/checkpoints.md). Read-only: nothing here
// writes to or deletes from the store. Exit 0 = ok, 1 = bad/missing data, 2 = usage.
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>

#include "cmd/commands.hpp"
#include "config/job_config.hpp"
#include "runtime/checkpoint/body_summary.hpp"
#include "runtime/checkpoint/checkpoint_store.hpp"
#include "runtime/checkpoint/hex.hpp"

namespace rtfeat::cmd {

namespace {

struct checkpoints_options {
  std::string dir;
  std::string config;
  std::vector<std::string> sets;
  std::string id;  // a number or "latest"
  int64_t key_group = -1;
};

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string human_bytes(uint64_t n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  auto v = static_cast<double>(n);
  size_t u = 0;
  while (v >= 1024 && u < 4) v /= 1024, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

std::string utc_time(int64_t ms) {
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return std::string(buf) + "." + std::to_string(1000 + ms % 1000).substr(1) + "Z";
}

std::string age(int64_t created_ms) {
  int64_t s = (now_ms() - created_ms) / 1000;
  if (s < 0) return "in the future";
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(s));
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%lldm%02llds", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  else if (s < 86400)
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60));
  else
    std::snprintf(buf, sizeof buf, "%lldd%02lldh", static_cast<long long>(s / 86400),
                  static_cast<long long>(s / 3600 % 24));
  return std::string(buf) + " ago";
}

std::string watermark_text(const std::optional<int64_t>& w) {
  return w ? std::to_string(*w) + " (" + utc_time(*w) + ")" : "none";
}

// "events: 8 partitions, offsets sum 1234567, min watermark ..." per topic.
std::string offsets_summary(const checkpoint_manifest& m) {
  struct topic_sum {
    size_t partitions = 0;
    int64_t offsets = 0;
    std::optional<int64_t> min_wm;
  };
  std::map<std::string, topic_sum> topics;
  for (const auto& p : m.positions) {
    auto& t = topics[p.topic];
    ++t.partitions;
    t.offsets += p.next_offset;
    if (p.watermark && (!t.min_wm || *p.watermark < *t.min_wm)) t.min_wm = p.watermark;
  }
  std::string s;
  for (const auto& [name, t] : topics)
    s += (s.empty() ? "" : "; ") + name + ": " + std::to_string(t.partitions)
         + " partitions, offsets sum " + std::to_string(t.offsets) + ", min watermark "
         + (t.min_wm ? utc_time(*t.min_wm) : "none");
  return s.empty() ? "no positions" : s;
}

// Opens the store from --dir or --config/--set; returns 0 or an exit code.
int open_store(const checkpoints_options& o, std::unique_ptr<checkpoint_store>& store) {
  std::string dir = o.dir, error;
  if (dir.empty() == o.config.empty()) {
    std::cerr << "rtfeat checkpoints: give exactly one of --dir and --config\n";
    return 2;
  }
  if (!o.config.empty()) {
    job_config cfg;
    if (!load_job_config(o.config, o.sets, cfg, error)) {
      std::cerr << "rtfeat checkpoints: " << error << "\n";
      return 2;
    }
    dir = cfg.checkpoint_dir;
  }
  auto opened = checkpoint_store::open(dir, open_mode::must_exist);
  if (!opened) return std::cerr << "rtfeat checkpoints: " << opened.error().message() << "\n", 1;
  store = std::move(*opened);
  return 0;
}

int run_list(const checkpoint_store& store) {
  checkpoint_listing all;
  if (auto listed = store.list(all); !listed)
    return std::cerr << "rtfeat checkpoints: " << listed.message() << "\n", 1;
  std::printf("checkpoints in %s: %zu complete, %zu partial, %zu unreadable\n", store.dir().c_str(),
              all.complete.size(), all.partial.size(), all.unreadable.size());
  std::printf("%-8s %-11s %-14s %-11s %-10s %s\n", "ID", "STATUS", "AGE", "SIZE", "SNAPSHOTS",
              "OFFSETS");
  std::map<uint64_t, std::string, std::greater<>> rows;
  char buf[160];
  for (const auto& m : all.complete) {
    std::snprintf(buf, sizeof buf, "%-8llu %-11s %-14s %-11s %-10zu ",
                  static_cast<unsigned long long>(m.id), "complete", age(m.created_ms).c_str(),
                  human_bytes(m.snapshot_bytes()).c_str(), m.snapshots.size());
    rows[m.id] = buf + offsets_summary(m);
  }
  for (const auto& p : all.partial) {
    std::snprintf(buf, sizeof buf, "%-8llu %-11s %-14s %-11s %-10s ",
                  static_cast<unsigned long long>(p.id), "PARTIAL", "-",
                  human_bytes(p.bytes).c_str(), (std::to_string(p.files) + " files").c_str());
    rows[p.id] = buf + std::string("incomplete (no MANIFEST): never restored");
  }
  for (const auto& [id, why] : all.unreadable) {
    std::snprintf(buf, sizeof buf, "%-8llu %-11s %-14s %-11s %-10s ",
                  static_cast<unsigned long long>(id), "UNREADABLE", "-", "-", "-");
    rows[id] = buf + why;
  }
  for (const auto& [id, row] : rows) std::printf("%s\n", row.c_str());
  return 0;
}

// Resolves "latest" or a number to a checkpoint id; returns 0 or an exit code.
int resolve_id(const checkpoint_store& store, const std::string& text, uint64_t& id) {
  std::string error;
  if (text == "latest") {
    checkpoint_listing all;
    if (auto listed = store.list(all); !listed)
      return std::cerr << "rtfeat checkpoints: " << listed.message() << "\n", 1;
    if (all.complete.empty())
      return std::cerr << "rtfeat checkpoints: no complete checkpoint in " << store.dir() << "\n",
             1;
    id = all.complete.front().id;
    return 0;
  }
  const char* end = text.data() + text.size();
  if (std::from_chars(text.data(), end, id).ptr != end || id == 0)
    return std::cerr << "rtfeat checkpoints: '" << text
                     << "' is not a checkpoint id (a number or latest)\n",
           2;
  return 0;
}

void print_manifest(const checkpoint_store& store, const checkpoint_manifest& m) {
  std::printf("checkpoint %llu  (%s)\n", static_cast<unsigned long long>(m.id),
              store.checkpoint_path(m.id).c_str());
  std::printf("  created         %s (%s)\n", utc_time(m.created_ms).c_str(),
              age(m.created_ms).c_str());
  std::printf("  catalogue hash  %s\n", hex64(m.catalogue_hash).c_str());
  std::printf("  snapshots       %zu files, %s (%zu referenced in older checkpoints, %s written)\n",
              m.snapshots.size(), human_bytes(m.snapshot_bytes()).c_str(), m.referenced_count(),
              human_bytes(m.written_bytes()).c_str());
  std::printf("positions (%zu):\n", m.positions.size());
  for (const auto& p : m.positions)
    std::printf("  %s/%d  next offset %lld  watermark %s\n", p.topic.c_str(), p.partition,
                static_cast<long long>(p.next_offset), watermark_text(p.watermark).c_str());
  std::printf("meta (%zu):\n", m.meta.size());
  for (const auto& [k, v] : m.meta) std::printf("  %s = %s\n", k.c_str(), v.c_str());
  std::printf("snapshot files:\n");
  for (const auto& e : m.snapshots)
    std::printf("  %-14s key group %-5u %10llu bytes  crc32c %s%s\n", e.file.c_str(), e.key_group,
                static_cast<unsigned long long>(e.size), hex32(e.crc).c_str(),
                e.stored_in ? ("  in chk-" + std::to_string(e.stored_in)).c_str() : "");
}

// Loads the manifest of `id`, or says why there is none ("incomplete", "does not exist").
bool load_manifest(const checkpoint_store& store, uint64_t id, checkpoint_manifest& m,
                   std::string& error) {
  std::error_code ec;
  if (!std::filesystem::exists(store.checkpoint_path(id), ec))
    return error = "does not exist in " + store.dir(), false;
  if (!store.is_complete(id)) return error = "incomplete (no MANIFEST): never restored", false;
  auto loaded = store.load_manifest(id, m);
  error = loaded.message();
  return loaded.ok();
}

// Problems of a header whose own checks passed, against where it lives and the manifest.
std::vector<std::string> placement_problems(const snapshot_header& h, uint64_t id, uint32_t kg,
                                            const checkpoint_manifest* m) {
  std::vector<std::string> p;
  if (h.checkpoint_id != id)
    p.push_back("header says checkpoint " + std::to_string(h.checkpoint_id));
  if (h.key_group != kg) p.push_back("header says key group " + std::to_string(h.key_group));
  if (!m) return p;
  const snapshot_entry* e = m->find(kg);
  if (!e) return p.push_back("not listed in the manifest"), p;
  if (h.catalogue_hash != m->catalogue_hash)
    p.push_back("manifest catalogue hash is " + hex64(m->catalogue_hash));
  if (h.file_size() != e->size) p.push_back("manifest size is " + std::to_string(e->size));
  if (h.body_crc != e->crc) p.push_back("manifest crc32c is " + hex32(e->crc));
  return p;
}

void print_header(const snapshot_header& h) {
  std::printf("  magic           RTFS\n  format version  %u\n  header size     %u\n", h.version,
              h.header_size);
  std::printf("  catalogue hash  %s\n  checkpoint id   %llu\n  key group       %u\n",
              hex64(h.catalogue_hash).c_str(), static_cast<unsigned long long>(h.checkpoint_id),
              h.key_group);
  std::printf("  body size       %llu bytes (%s)\n  body crc32c     %s\n",
              static_cast<unsigned long long>(h.body_size), human_bytes(h.body_size).c_str(),
              hex32(h.body_crc).c_str());
}

int inspect_key_group(const checkpoint_store& store, uint64_t id, uint32_t kg,
                      const checkpoint_manifest* m) {
  // A referenced key group's file lives in the older checkpoint that wrote it.
  const snapshot_entry* listed = m ? m->find(kg) : nullptr;
  if (listed) id = listed->home(id);
  const std::string path = store.snapshot_path(id, kg);
  snapshot_header h;
  std::string body, error;
  const auto status = read_snapshot_file(path, h, &body, error);
  std::printf("%s\n", path.c_str());
  if (status == snapshot_status::io_error || status == snapshot_status::bad_header)
    return std::printf("  FAILED: %s\n", error.c_str()), 1;
  print_header(h);
  auto problems = placement_problems(h, id, kg, m);
  if (status != snapshot_status::ok) problems.insert(problems.begin(), error);
  for (const auto& p : problems) std::printf("  PROBLEM         %s\n", p.c_str());
  if (problems.empty())
    std::printf("  verification    ok%s\n",
                m ? " (file and manifest entry)" : " (file only: no manifest)");
  if (status == snapshot_status::ok)
    std::printf("body, first bytes:\n%sbody as msgpack:\n%s", hex_dump(body, 64).c_str(),
                describe_msgpack(body, 8).c_str());
  return problems.empty() ? 0 : 1;
}

int run_inspect(const checkpoint_store& store, const checkpoints_options& o) {
  uint64_t id = 0;
  if (const int rc = resolve_id(store, o.id, id); rc != 0) return rc;
  if (o.key_group > static_cast<int64_t>(UINT32_MAX))
    return std::cerr << "rtfeat checkpoints: --key-group out of range\n", 2;
  checkpoint_manifest m;
  std::string error;
  const bool has_manifest = load_manifest(store, id, m, error);
  if (has_manifest && o.key_group < 0) return print_manifest(store, m), 0;
  if (!has_manifest)
    std::printf("checkpoint %llu: %s\n", static_cast<unsigned long long>(id), error.c_str());
  if (o.key_group < 0) return 1;
  return inspect_key_group(store, id, static_cast<uint32_t>(o.key_group),
                           has_manifest ? &m : nullptr);
}

int run_verify(const checkpoint_store& store, const checkpoints_options& o) {
  uint64_t id = 0;
  if (const int rc = resolve_id(store, o.id, id); rc != 0) return rc;
  checkpoint_manifest m;
  std::string error;
  if (!load_manifest(store, id, m, error)) {
    std::printf("checkpoint %llu: FAILED: %s\n", static_cast<unsigned long long>(id),
                error.c_str());
    return 1;
  }
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::string> problems;
  const bool ok = store.verify(m, problems);
  const double secs =
    std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (const auto& p : problems)
    std::printf("checkpoint %llu: %s\n", static_cast<unsigned long long>(id), p.c_str());
  if (!ok) {
    std::printf("checkpoint %llu: FAILED: %zu of %zu snapshot files are bad\n",
                static_cast<unsigned long long>(id), problems.size(), m.snapshots.size());
    return 1;
  }
  std::printf("checkpoint %llu: OK: manifest and %zu snapshot files (%s, %zu of them referenced in older "
              "checkpoints) verified in %.2f s\n",
              static_cast<unsigned long long>(id), m.snapshots.size(),
              human_bytes(m.snapshot_bytes()).c_str(), m.referenced_count(), secs);
  return 0;
}

}  // namespace

void add_checkpoints(CLI::App& app) {
  auto o = std::make_shared<checkpoints_options>();
  auto* sub = app.add_subcommand("checkpoints", "list, inspect and verify checkpoints");
  sub->add_option("--dir", o->dir, "checkpoint directory");
  sub->add_option("--config", o->config, "job config (TOML); its checkpoint.dir is used");
  sub->add_option("--set", o->sets, "override a config key: section.key=value (repeatable)");
  sub->require_subcommand(1);
  sub->fallthrough();
  auto* list = sub->add_subcommand("list", "checkpoints, newest first, partial ones marked");
  auto* inspect =
    sub->add_subcommand("inspect", "a checkpoint's manifest, or one key group's file");
  inspect->add_option("id", o->id, "checkpoint id or 'latest'")->required();
  inspect->add_option("--key-group", o->key_group,
                      "show this key group's snapshot header and body");
  auto* verify = sub->add_subcommand("verify", "verify every checksum of a checkpoint");
  verify->add_option("id", o->id, "checkpoint id or 'latest'")->required();
  sub->callback([o, list, inspect, verify] {
    std::unique_ptr<checkpoint_store> store;
    exit_code() = open_store(*o, store);
    if (!store) return;
    if (list->parsed()) exit_code() = run_list(*store);
    if (inspect->parsed()) exit_code() = run_inspect(*store, *o);
    if (verify->parsed()) exit_code() = run_verify(*store, *o);
  });
}

}  // namespace rtfeat::cmd

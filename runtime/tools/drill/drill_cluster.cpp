// The drill's node processes (see drill_cluster.hpp).
#include "runtime/tools/drill/drill_cluster.hpp"

#include <algorithm>
#include <fstream>

#include <simdjson.h>

#include "runtime/checkpoint/manifest_json.hpp"
#include "runtime/tools/drill/cluster_config_file.hpp"

namespace rtfeat {

namespace {

/// The last `n` lines of the file at `path`, indented, for a failure message.
std::string last_lines(const std::string& path, size_t n) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(std::move(line));
  std::string out;
  for (size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); ++i)
    out += "\n    " + lines[i];
  return out;
}

}  // namespace

bool drill_cluster::configure(uint32_t nodes, std::string& error) {
  config_path_ = work_dir_ + "/cluster-" + std::to_string(nodes) + ".toml";
  if (!write_cluster_config(base_, nodes, ports_, config_path_, nodes_, error)) return false;
  current_.assign(nodes, nullptr);
  return true;
}

bool drill_cluster::start(uint32_t node, bool restore, std::string& error) {
  std::vector<std::string> extra;
  if (restore) extra = {"--restore", "latest"};
  return start_process(node, std::move(extra), error);
}

bool drill_cluster::start_joiner(const std::string& id, const std::string& member_address,
                                 std::string& error) {
  auto port = ports_.pick();
  if (!port) return error = "no free loopback port below the ephemeral range for " + id, false;
  nodes_.push_back({id, "127.0.0.1", *port});
  current_.push_back(nullptr);
  return start_process(size() - 1, {"--join", member_address, "--listen", nodes_.back().address()},
                       error);
}

std::string drill_cluster::address(uint32_t node) const { return nodes_.at(node).address(); }

std::optional<uint32_t> drill_cluster::index_of(const std::string& id) const {
  for (uint32_t i = 0; i < size(); ++i)
    if (nodes_.at(i).id == id) return i;
  return std::nullopt;
}

const node_process* drill_cluster::remove(uint32_t node) {
  const node_process* p = current_.at(node);
  nodes_.erase(nodes_.begin() + node);
  current_.erase(current_.begin() + node);
  return p;
}

bool drill_cluster::start_process(uint32_t node, std::vector<std::string> extra,
                                  std::string& error) {
  auto p = std::make_unique<node_process>();
  p->id = nodes_.at(node).id;
  auto name = work_dir_ + "/node-" + p->id + "-" + std::to_string(++starts_);
  p->log_path = name + ".log";
  p->stats_path = name + ".json";
  p->status_path = name + ".status.json";
  std::vector<std::string> argv{
    self_executable(),
    "node",
    "--config",
    config_path_,
    "--node-id",
    p->id,
    "--drain",
    "--stats",
    p->stats_path,
    "--status-file",
    p->status_path,
    "--set",
    "dead_letter.path=" + work_dir_ + "/dead-letter-" + p->id + ".jsonl"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  p->child = child_process::start(argv, p->log_path, error);
  if (!p->child) return false;
  current_.at(node) = p.get();
  all_.push_back(std::move(p));
  return true;
}

bool drill_cluster::start_all(bool restore, std::string& error) {
  for (uint32_t i = 0; i < size(); ++i)
    if (!start(i, restore, error)) return false;
  return true;
}

void drill_cluster::kill(uint32_t node) {
  auto* p = current_.at(node);
  if (p == nullptr || !p->child->running()) return;
  p->killed = true;
  p->child->kill();
}

void drill_cluster::kill_all() {
  for (uint32_t i = 0; i < size(); ++i) kill(i);
}

void drill_cluster::poll() {
  for (auto& p : all_) {
    p->child->running();  // reaps a child that ended, so that its status() is known
    if (auto s = read_node_status(p->status_path)) p->latest = s;  // rewritten whole, never torn
  }
}

const node_process* drill_cluster::failed_process() const {
  for (const auto& p : all_)
    if (!p->killed && p->child->status() && !p->child->status()->ok()) return p.get();
  return nullptr;
}

std::string drill_cluster::failure() const {
  const auto* p = failed_process();
  if (p == nullptr) return "";
  return "node " + p->id + " failed (" + p->child->status()->describe() + "); the end of "
         + p->log_path + ":" + last_lines(p->log_path, 8);
}

uint32_t drill_cluster::running() const {
  return static_cast<uint32_t>(
    std::count_if(current_.begin(), current_.end(),
                  [](const node_process* p) { return p && !p->child->status(); }));
}

uint32_t drill_cluster::finished() const {
  return static_cast<uint32_t>(std::count_if(
    current_.begin(), current_.end(),
    [](const node_process* p) { return p && p->child->status() && p->child->status()->ok(); }));
}

bool drill_cluster::all_processing_since(int64_t since_unix_ms, cluster_resume& out,
                                         bool& agree) const {
  out = {};
  agree = true;
  for (size_t i = 0; i < current_.size(); ++i) {
    const auto* p = current_[i];
    if (p == nullptr || !p->latest || p->latest->processing_since_unix_ms < since_unix_ms)
      return false;
    if (p->latest->processing_since_unix_ms >= out.last_unix_ms) {
      out.last_unix_ms = p->latest->processing_since_unix_ms;
      out.last_node = p->id;
      out.last_resume_ms = p->latest->resume_ms;
      out.last_resume_stages = p->latest->resume_stages;
    }
    if (i == 0) out.checkpoint = p->latest->checkpoint;
    agree = agree && p->latest->checkpoint == out.checkpoint;
  }
  return !current_.empty();
}

uint64_t drill_cluster::restores() const {
  uint64_t n = 0;
  for (const auto& p : all_) n += p->latest ? p->latest->resumed_from_checkpoint : 0;
  return n;
}

bool drill_cluster::events_read_by_current(uint64_t& sum, std::string& error) const {
  simdjson::dom::parser parser;
  sum = 0;
  for (const auto* p : current_) {
    simdjson::dom::object stats;
    if (p == nullptr || parser.load(p->stats_path).get(stats) != simdjson::SUCCESS)
      return error = "cannot read the stats of node "
                     + (p ? p->id + ": " + p->stats_path : std::string("?")),
             false;
    uint64_t read = 0;
    if (!json_u64(stats, "events_read", p->stats_path, read, error)) return false;
    sum += read;
  }
  return true;
}

}  // namespace rtfeat

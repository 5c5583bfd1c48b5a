// The drill's `rtfeat node` processes: one cluster config per node list (written
// with job_config_toml), one child per node start with its own log and stats
// file, and what their logs say: when each node last started processing and
// from which checkpoint. Exits the drill did not cause are failures.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/job_config.hpp"
#include "runtime/lifecycle/node_status.hpp"
#include "runtime/tools/drill/child_process.hpp"
#include "runtime/tools/drill/loopback_port.hpp"

namespace rtfeat {

/// One process of one node: a node restarted after a kill is a new process.
struct node_process {
  std::string id;  // n1, n2, ...
  std::string log_path, stats_path, status_path;
  std::unique_ptr<child_process> child;
  bool killed = false;                // SIGKILLed by the drill
  std::optional<node_status> latest;  // its --status-file, as last read
};

/// When the current node list was last all processing (see all_processing_since).
struct cluster_resume {
  int64_t last_unix_ms = 0;  // when the last node started processing
  uint64_t checkpoint = 0;   // the checkpoint every node resumed from (0 = the beginning)
  std::string last_node;     // that last node: what held the rollback up
  int64_t last_resume_ms = 0;       // its way back, from its start or its stop
  std::string last_resume_stages;   // ... by stage, as the node wrote it
};

class drill_cluster {
public:
  /// `base` has everything but the node list (services, checkpoints, catalogue).
  drill_cluster(std::string work_dir, job_config base, loopback_ports& ports)
      : work_dir_(std::move(work_dir)), base_(std::move(base)), ports_(ports) {}

  /// Writes cluster-<n>.toml listing n nodes on fresh loopback ports; later
  /// starts use it. Nodes already running keep the config they started with.
  bool configure(uint32_t nodes, std::string& error);
  const std::string& config_path() const { return config_path_; }
  uint32_t size() const { return static_cast<uint32_t>(current_.size()); }
  const std::string& id(uint32_t node) const { return nodes_.at(node).id; }

  /// Starts node `node` of the current config with --drain (and --restore latest).
  bool start(uint32_t node, bool restore, std::string& error);
  bool start_all(bool restore, std::string& error);
  /// Starts node `id` (not in the config) with --join `member_address` --listen
  /// 127.0.0.1:<a free port> and the flags of the others, as the last node.
  bool start_joiner(const std::string& id, const std::string& member_address, std::string& error);
  /// "host:port" of node `node`.
  std::string address(uint32_t node) const;
  /// The index of node `id` in the current list, or nullopt.
  std::optional<uint32_t> index_of(const std::string& id) const;
  /// Takes node `node` out of the current list (it left or was replaced): its
  /// process, if still running, is no longer counted as a node of the cluster, and
  /// an exit 0 of it is no drain; a non-zero exit stays a failure.
  /// Returns its last process (nullptr if it never started).
  const node_process* remove(uint32_t node);
  const std::string& work_dir() const { return work_dir_; }
  /// SIGKILLs (and reaps) node `node` / every node.
  void kill(uint32_t node);
  void kill_all();

  /// Reads the nodes' new log lines and notes which processes ended.
  void poll();
  /// The first process that ended on its own with a non-zero exit code, as a
  /// sentence naming it and its log; empty when none.
  std::string failure() const;
  /// Current nodes whose process still runs / ended with exit code 0 (drained).
  uint32_t running() const;
  uint32_t finished() const;
  /// True (with `out` set) when every current node has a processing line at or
  /// after `since_unix_ms`. `agree` is false when they name different checkpoints.
  bool all_processing_since(int64_t since_unix_ms, cluster_resume& out, bool& agree) const;
  /// Processing lines that resumed from a checkpoint, over every process so far.
  uint64_t restores() const;
  /// Sum of events_read in the --stats files of the current nodes (their last
  /// run); false when one is missing or unreadable.
  bool events_read_by_current(uint64_t& sum, std::string& error) const;
  /// The process failure() names, or nullptr.
  const node_process* failed_process() const;

private:
  bool start_process(uint32_t node, std::vector<std::string> extra, std::string& error);

  std::string work_dir_;
  job_config base_;
  loopback_ports& ports_;
  std::string config_path_;
  std::vector<cluster_node> nodes_;
  std::vector<std::unique_ptr<node_process>> all_;  // every process ever started
  std::vector<node_process*> current_;              // per node of the current config
  uint32_t starts_ = 0;
};

}  // namespace rtfeat

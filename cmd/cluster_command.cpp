// rtfeat cluster config: writes a cluster config of N nodes on free loopback
// ports from a base config (docs/cluster.md). The shell tests, scripts/cluster-bench
// and the drill all get their cluster configs from the same writer.
// Exit codes: 0 = written, 2 = bad arguments or config, 1 = no port / cannot write.
// rtfeat cluster status: members, what each owns, the newest checkpoint, lag.
// Exit codes: 0 = every member's port answers, 1 = some does not, 2 = bad config.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cmd/commands.hpp"
#include "config/job_config.hpp"
#include "runtime/clock.hpp"
#include "runtime/cluster/cluster_status_gather.hpp"
#include "runtime/cluster/membership.hpp"
#include "runtime/tools/drill/cluster_config_file.hpp"

namespace rtfeat::cmd {

namespace {

struct cluster_config_options {
  std::string config = "config/cluster.toml";
  std::vector<std::string> sets;
  uint32_t nodes = 0;
  std::string out;
};

int run_cluster_config(const cluster_config_options& o) {
  job_config base;
  std::string error;
  if (!load_job_config(o.config, o.sets, base, error)) {
    std::cerr << "rtfeat cluster config: " << error << "\n";
    return 2;
  }
  loopback_ports ports;
  std::vector<cluster_node> nodes;
  if (!write_cluster_config(base, o.nodes, ports, o.out, nodes, error)) {
    std::cerr << "rtfeat cluster config: " << error << "\n";
    return 1;
  }
  std::cerr << "rtfeat cluster config: " << o.out << ":";
  for (const auto& n : nodes) std::cerr << " " << n.id << "=" << n.host << ":" << n.port;
  std::cerr << "\n";
  return 0;
}

struct cluster_status_options {
  std::string config = "config/cluster.toml";
  std::vector<std::string> sets;
  bool json = false;
  int probe_timeout_ms = 500;
};

int run_cluster_status(const cluster_status_options& o) {
  job_config cfg;
  std::string error;
  if (!load_job_config(o.config, o.sets, cfg, error)) {
    std::cerr << "rtfeat cluster status: " << error << "\n";
    return 2;
  }
  if (cfg.nodes.empty()) {
    std::cerr << "rtfeat cluster status: " << o.config
              << " has no [[cluster.node]] entries: not a cluster config\n";
    return 2;
  }
  auto members = current_membership(cfg.checkpoint_dir, cfg.nodes);
  if (!members) {
    std::cerr << "rtfeat cluster status: " << members.error().message() << "\n";
    return 2;
  }
  cfg.nodes = members->members;
  std::vector<std::string> warnings;
  auto s = gather_cluster_status(cfg, o.probe_timeout_ms, warnings);
  s.epoch = members->epoch;
  s.change = members->change;
  for (const auto& w : warnings) std::cerr << "rtfeat cluster status: " << w << "\n";
  std::cout << (o.json ? cluster_status_json(s, wall_clock_ms()) + "\n"
                       : cluster_status_text(s, wall_clock_ms()));
  for (const auto& m : s.members)
    if (m.reachable && !*m.reachable) return 1;
  return 0;
}

}  // namespace

void add_cluster(CLI::App& app) {
  auto* sub = app.add_subcommand("cluster", "cluster configs (docs/cluster.md)");
  sub->require_subcommand(1);
  auto o = std::make_shared<cluster_config_options>();
  auto* config = sub->add_subcommand(
    "config", "write a cluster config: the base config with N nodes on free 127.0.0.1 ports, paths made absolute");
  config->add_option("--config", o->config, "base job config (TOML); its node list is replaced")->capture_default_str();
  config->add_option("--set", o->sets, "override a config key: section.key=value (repeatable)");
  config->add_option("--nodes", o->nodes, "nodes n1..nN")->required()->check(CLI::Range(1, 64));
  config->add_option("--out", o->out, "where to write it")->required();
  config->callback([o] { exit_code() = run_cluster_config(*o); });

  auto so = std::make_shared<cluster_status_options>();
  auto* status = sub->add_subcommand(
    "status",
    "each member: its port, partitions and key groups; the newest checkpoint; events after it");
  status->add_option("--config", so->config, "the cluster's job config (TOML)")
    ->capture_default_str();
  status->add_option("--set", so->sets, "override a config key: section.key=value (repeatable)");
  status->add_flag("--json", so->json, "one JSON object instead of the table");
  status
    ->add_option("--probe-timeout-ms", so->probe_timeout_ms,
                 "how long a member's port may take to accept")
    ->capture_default_str()
    ->check(CLI::Range(1, 60000));
  status->callback([so] { exit_code() = run_cluster_status(*so); });
  add_cluster_leave(*sub);
}

}  // namespace rtfeat::cmd

// rtfeat cluster config: writes a cluster config of N nodes on free loopback
// ports from a base config (docs/cluster.md). The shell tests, scripts/cluster-bench
// and the drill all get their cluster configs from the same writer.
// Exit codes: 0 = written, 2 = bad arguments or config, 1 = no port / cannot write.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cmd/commands.hpp"
#include "config/job_config.hpp"
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
}

}  // namespace rtfeat::cmd

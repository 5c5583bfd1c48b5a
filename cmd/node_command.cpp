// rtfeat node: runs one node of the job until Ctrl-C, or with --drain until the
// input seen at start is consumed and written to Redis at the final watermark.
// The node's life is actors/node/node_runtime.hpp; this file is its flags.
#include <memory>

#include "actors/node/node_runtime.hpp"
#include "cmd/commands.hpp"
#include "cmd/metrics_server.hpp"
#include "cmd/tls_io_hooks.hpp"
#include "runtime/lifecycle/stop_signals.hpp"

namespace rtfeat::cmd {

void add_node(CLI::App& app) {
  auto opt = std::make_shared<node::node_options>();
  auto* sub = app.add_subcommand("node", "run one node of the feature job");
  sub->add_option("--config", opt->config, "job config (TOML)")->capture_default_str();
  sub->add_option("--set", opt->overrides, "override a config key: section.key=value");
  sub->add_flag("--drain", opt->drain, "read to the end offsets seen at start, flush, exit 0");
  sub->add_option("--stats", opt->stats, "write final counters as JSON to this file");
  sub->add_option("--restore", opt->restore,
                  "restore 'latest' (or checkpoint ID) from checkpoint.dir; 'latest' with none starts fresh");
  sub->add_option("--node-id", opt->node_id, "cluster: this process's node, an id of [[cluster.node]]");
  sub->add_option(
    "--join", opt->join,
    "cluster: HOST:PORT of a running member; ask to be added to the cluster (it restores the next "
    "checkpoint and resumes with this node)");
  sub->add_option(
    "--listen", opt->listen,
    "cluster, with --join: this node's HOST:PORT when --node-id is not in the config's node list");
  sub->add_option("--status-file", opt->status_file,
                  "rewrite this JSON file each time the readers start: since when and from which checkpoint");
  sub->add_flag("--resync", opt->resync,
                "rewrite every key this node's state owns at start (after a restore), e.g. after Redis was repaired by hand");
  sub->add_flag("--allow-catalogue-change", opt->allow_catalogue_change,
                "restore a checkpoint taken with another features.toml");
  sub->callback([opt] {
    install_stop_signals();
    opt->metrics = start_metrics_server;
    opt->tls_io_hooks_active = are_tls_io_hooks_active();
    exit_code() = node::node_runtime::run(*opt).exit_code();
  });
}

}  // namespace rtfeat::cmd

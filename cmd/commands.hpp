// Each subcommand of the `rtfeat` binary registers itself on the CLI11 app.
// The callback it installs runs the command and stores its exit code.
#pragma once

#include <CLI/CLI.hpp>

namespace rtfeat::cmd {

/// Exit code of the subcommand that ran (set by its callback).
int& exit_code();

void add_mock_kafka(CLI::App& app);
void add_gen(CLI::App& app);
void add_produce(CLI::App& app);
void add_node(CLI::App& app);
void add_oracle(CLI::App& app);
void add_checkpoints(CLI::App& app);
void add_drill(CLI::App& app);
void add_serve(CLI::App& app);
void add_materialize(CLI::App& app);
void add_export(CLI::App& app);
void add_cluster(CLI::App& app);
void add_cluster_leave(CLI::App& cluster);  // called by add_cluster

}  // namespace rtfeat::cmd

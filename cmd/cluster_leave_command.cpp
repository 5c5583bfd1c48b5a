// rtfeat cluster leave NODE: drains one member out of a running cluster
// (docs/cluster.md "Membership"). The request goes through the shared checkpoint
// directory; node 0 acts on it after its next checkpoint by committing the next
// membership epoch without NODE, and every node resumes from that checkpoint.
// Exit codes: 0 = NODE left, 1 = no node acted within --timeout-ms (the request is
// withdrawn), 2 = bad config, NODE not a member or the last one.
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cmd/commands.hpp"
#include "config/job_config.hpp"
#include "runtime/cluster/membership.hpp"
#include "runtime/cluster/membership_requests.hpp"

namespace rtfeat::cmd {

namespace {

struct cluster_leave_options {
  std::string config = "config/cluster.toml";
  std::vector<std::string> sets;
  std::string node;
  int timeout_ms = 60000;
};

/// The membership after `node` left, once committed; nullopt at the deadline.
std::optional<membership> await_leave(const job_config& cfg, const std::string& node,
                                      uint64_t from_epoch,
                                      std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    if (auto m = current_membership(cfg.checkpoint_dir, cfg.nodes);
        m && m->epoch > from_epoch && !m->index_of(node))
      return std::move(*m);
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

int run_cluster_leave(const cluster_leave_options& o) {
  auto fail = [](const std::string& why, int code) {
    std::cerr << "rtfeat cluster leave: " << why << "\n";
    return code;
  };
  job_config cfg;
  std::string error;
  if (!load_job_config(o.config, o.sets, cfg, error)) return fail(error, 2);
  if (cfg.nodes.empty())
    return fail(o.config + " has no [[cluster.node]] entries: not a cluster config", 2);
  auto now = current_membership(cfg.checkpoint_dir, cfg.nodes);
  if (!now) return fail(now.error().message(), 2);
  const auto where = "membership epoch " + std::to_string(now->epoch) + " lists " + now->ids();
  if (!now->index_of(o.node)) return fail("'" + o.node + "' is not a member: " + where, 2);
  if (now->members.size() == 1)
    return fail("'" + o.node + "' is the last member: stop it instead (SIGTERM)", 2);
  membership_request leave;  // kind::leave
  leave.node.id = o.node;
  if (auto asked = file_request(cfg.checkpoint_dir, leave); !asked) return fail(asked.message(), 1);
  std::cerr << "rtfeat cluster leave: asked node '" << now->members[0].id << "' to take '" << o.node
            << "' out after its next checkpoint (" << where << ")\n";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(o.timeout_ms);
  auto left = await_leave(cfg, o.node, now->epoch, deadline);
  if (!left) {
    // Withdrawn, so that a cluster started later does not drop the node unasked; it may
    // have been acted on meanwhile.
    drop_request(cfg.checkpoint_dir, leave);
    left = await_leave(cfg, o.node, now->epoch, std::chrono::steady_clock::now());
  }
  if (!left)
    return fail("no node acted on the request within " + std::to_string(o.timeout_ms)
                  + " ms (is the cluster running, with checkpoints on?); the request is withdrawn",
                1);
  std::cout << "'" << o.node << "' left: membership epoch " << left->epoch << " (" << left->ids()
            << "), resumed from checkpoint " << left->checkpoint_id << "\n";
  return 0;
}

}  // namespace

void add_cluster_leave(CLI::App& cluster) {
  auto o = std::make_shared<cluster_leave_options>();
  auto* leave = cluster.add_subcommand(
    "leave",
    "drain a member out of the running cluster: after a checkpoint, the others resume without it");
  leave->add_option("node", o->node, "the member's id")->required();
  leave->add_option("--config", o->config, "the cluster's job config (TOML)")
    ->capture_default_str();
  leave->add_option("--set", o->sets, "override a config key: section.key=value (repeatable)");
  leave->add_option("--timeout-ms", o->timeout_ms, "how long to wait for the new membership")
    ->capture_default_str()
    ->check(CLI::Range(100, 3600000));
  leave->callback([o] { exit_code() = run_cluster_leave(*o); });
}

}  // namespace rtfeat::cmd

// The redirect rules of the Redis Cluster specification, one reply at a time.
// Termination: every reply either finishes a command or raises its redirect or
// retry count, and both are bounded, so a MOVED loop ends as a failure.
#include "runtime/redis/cluster/cluster_pipeline.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "runtime/redis/cluster/key_slot.hpp"

namespace rtfeat {

namespace {

[[noreturn]] void bug(const char* what) {  // a broken invariant: the caller misused the plan
  std::fprintf(stderr, "rtfeat: bug: cluster_pipeline: %s\n", what);
  std::abort();
}

}  // namespace

cluster_pipeline::cluster_pipeline(slot_map& map, pipeline_limits limits) : map_(map), limits_(limits) {}

size_t cluster_pipeline::add(keyed_command cmd) {
  if (cmd.key_index >= cmd.args.size()) bug("a command without its key argument");
  entry e;
  e.slot = key_slot(cmd.args[cmd.key_index]);
  e.cmd = std::move(cmd);
  entries_.push_back(std::move(e));
  ++open_;
  return entries_.size() - 1;
}

size_t cluster_pipeline::add_routed(uint16_t slot) {
  if (slot >= cluster_slot_count) bug("a slot out of range");
  entry e;
  e.slot = slot;
  entries_.push_back(std::move(e));
  ++open_;
  return entries_.size() - 1;
}

std::vector<node_batch> cluster_pipeline::next_round() {
  std::vector<node_batch> round;
  backoff_ms_ = 0;
  for (size_t id = 0; id < entries_.size(); ++id) {
    auto& e = entries_[id];
    if (e.status == command_status::in_flight) bug("next_round() before every reply was reported");
    if (e.status != command_status::pending) continue;
    // An ASK holds for one send only; the slot map still names the old owner.
    e.sent_to = e.follow_ask ? e.ask_target : map_.master_of(e.slot);
    auto batch = std::find_if(round.begin(), round.end(), [&](const node_batch& b) { return b.node == e.sent_to; });
    if (batch == round.end()) batch = round.insert(round.end(), node_batch{.node = e.sent_to, .commands = {}});
    batch->commands.push_back({.id = id, .asking = e.follow_ask});
    e.follow_ask = false;
    e.status = command_status::in_flight;
  }
  return round;
}

cluster_pipeline::entry& cluster_pipeline::in_flight(size_t id) {
  if (id >= entries_.size() || entries_[id].status != command_status::in_flight) {
    bug("a reply for a command that is not in flight");
  }
  return entries_[id];
}

void cluster_pipeline::on_success(size_t id) {
  auto& e = in_flight(id);
  e.status = command_status::done;
  --open_;
}

void cluster_pipeline::on_error_reply(size_t id, std::string_view error) {
  auto& e = in_flight(id);
  const auto reply = classify_error(error, e.sent_to.host);
  if (reply.is_retriable()) return retry(e, error);
  if (!reply.is_redirect()) return fail(e, command_failure::error_reply, error);
  if (++e.redirects > limits_.max_redirects) return fail(e, command_failure::too_many_redirects, error);
  if (reply.kind == cluster_reply_kind::moved) {
    ++counts_.moved;
    map_.set_master(reply.slot, reply.target);
    map_is_stale_ = true;
  } else {
    ++counts_.ask;
    e.ask_target = reply.target;
    e.follow_ask = true;
  }
  e.status = command_status::pending;
}

void cluster_pipeline::on_no_reply(size_t id, std::string_view why) {
  auto& e = in_flight(id);
  map_is_stale_ = true;  // a node that stops answering may have failed over
  retry(e, why);
}

void cluster_pipeline::retry(entry& e, std::string_view error) {
  if (++e.retries > limits_.max_retries) return fail(e, command_failure::too_many_retries, error);
  ++counts_.retried;
  // Doubling per retry of the most-retried command, capped: a failover takes
  // seconds, a TRYAGAIN during a MIGRATE milliseconds.
  int64_t wait = limits_.first_backoff_ms;
  for (int i = 1; i < e.retries && wait < limits_.max_backoff_ms; ++i) wait *= 2;
  backoff_ms_ = std::max(backoff_ms_, std::min(wait, limits_.max_backoff_ms));
  e.status = command_status::pending;
}

void cluster_pipeline::fail(entry& e, command_failure why, std::string_view error) {
  e.status = command_status::failed;
  e.failure = why;
  e.error = error;
  ++counts_.failed;
  --open_;
}

}  // namespace rtfeat

// rtfeat drill: the recovery drill operators run (docs/cluster.md "Recovery
// drill"). This file is the command line; cmd/drill_run.cpp does the drill.
#include <csignal>
#include <cstdio>

#include "cmd/commands.hpp"
#include "runtime/tools/drill/drill_options.hpp"
#include "runtime/tools/drill/drill_run.hpp"

namespace rtfeat::cmd {

namespace {

void request_stop(int) { drill_stop_requested = true; }

}  // namespace

void add_drill(CLI::App& app) {
  auto o = std::make_shared<drill_options>();
  auto* sub = app.add_subcommand("drill",
                                 "recovery drill: Kafka, Redis and N nodes on loopback, random "
                                 "SIGKILLs (and a rescale), oracle diff");
  sub->add_option("--nodes", o->nodes, "nodes to start")->required();
  sub->add_option("--events", o->events, "generate this many events (the generator of rtfeat gen)");
  sub->add_option("--from", o->from, "replay this recorded JSONL log instead of generated events");
  sub->add_option("--kills", o->kills, "SIGKILLs of random nodes at random moments")->required();
  sub->add_option("--rescale-to", o->rescale_to,
                  "after the kills, stop every node and restore on this many");
  sub->add_option("--partitions", o->partitions,
                  "topic partitions (default: one per 10 000 events, at least 32; a partition "
                  "the Kafka mock cannot hold sends the nodes to the file source)");
  sub->add_option("--seed", o->seed, "seed of the events and of the kill plan")
    ->capture_default_str();
  sub->add_option("--checkpoint-ms", o->checkpoint_ms, "checkpoint interval of the nodes")
    ->capture_default_str();
  sub->add_option("--join-at", o->join_at,
                  "seconds after the cluster processes: start one more node with --join");
  sub->add_option("--leave-at", o->leave_at,
                  "seconds after the cluster processes: rtfeat cluster leave of one member");
  sub->add_option("--leave", o->leave,
                  "the node --leave-at takes out (default: the last member but the coordinator)");
  sub->add_option("--lose", o->lose,
                  "after the kills and a checkpoint, SIGKILL this node for good: the others "
                  "replace it");
  sub->add_option("--rate", o->rate,
                  "events/s per partition reader of every node (default with kills, a rescale "
                  "or membership changes: a pace at which the fullest partition outlasts them; "
                  "0 = no limit)");
  sub->add_flag("--keep", o->keep, "keep the work dir (logs, configs, checkpoints, events)");
  sub->add_option("--report", o->report, "also write the report as JSON to this file");
  sub
    ->add_option("--config", o->config,
                 "cluster config whose keys the nodes use (its services and node list "
                 "are replaced)")
    ->capture_default_str();
  sub
    ->add_option("--redis-server", o->redis_server,
                 "redis-server binary (a name is looked up in PATH)")
    ->capture_default_str();
  sub->callback([o] {
    if (auto problem = validate_drill_options(*o); !problem.empty()) {
      std::fprintf(stderr, "rtfeat drill: %s\n", problem.c_str());
      exit_code() = 2;
      return;
    }
    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);
    std::signal(SIGHUP, request_stop);
    exit_code() = run_drill(*o);
  });
}

}  // namespace rtfeat::cmd

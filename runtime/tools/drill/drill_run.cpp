// `rtfeat drill` from start to report (see drill_run.hpp). Children are owned by
// objects declared after the work dir, so they are all ended before it goes,
// whichever way run_drill returns.
#include "runtime/tools/drill/drill_run.hpp"

#include <stdlib.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "config/job_config.hpp"
#include "runtime/cluster/peer_identity.hpp"
#include "runtime/crypto/hmac.hpp"
#include "runtime/tools/drill/drill_cluster.hpp"
#include "runtime/tools/drill/drill_events.hpp"
#include "runtime/tools/drill/drill_feed.hpp"
#include "runtime/tools/drill/drill_oracle.hpp"
#include "runtime/tools/drill/drill_scenario.hpp"
#include "runtime/tools/drill/drill_services.hpp"
#include "runtime/tools/drill/kill_plan.hpp"

namespace rtfeat {

std::atomic<bool> drill_stop_requested{false};

namespace {

namespace fs = std::filesystem;
using steady = std::chrono::steady_clock;

/// A fresh directory under $TMPDIR, removed with everything in it unless kept.
class work_dir {
public:
  explicit work_dir(bool keep) : keep_(keep) {
    auto tmpl = (fs::temp_directory_path() / "rtfeat-drill.XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) path_ = fs::absolute(tmpl).string();
  }
  ~work_dir() {
    std::error_code ec;
    if (!path_.empty() && !keep_) fs::remove_all(path_, ec);
  }
  work_dir(const work_dir&) = delete;
  work_dir& operator=(const work_dir&) = delete;
  const std::string& path() const { return path_; }

private:
  bool keep_;
  std::string path_;
};

/// The operator's config with the drill's services, checkpoints and absolute paths
/// (the generated configs live in the work dir, and relative paths would be read
/// relative to it).
void point_at_services(job_config& cfg, const drill_options& o, const std::string& work,
                       const drill_services& s, uint32_t partitions, const drill_feed& feed) {
  cfg.nodes.clear();
  cfg.source_kind = feed.through_file ? "file" : "kafka";
  cfg.source_path = feed.through_file ? fs::absolute(feed.input.events_file).string() : "";
  cfg.source_bootstrap = s.bootstrap();
  cfg.source_partitions = partitions;
  cfg.redis_host = "127.0.0.1";
  cfg.redis_port = s.redis_port();
  cfg.checkpoint_dir = work + "/checkpoints";
  cfg.checkpoint_interval_ms = o.checkpoint_ms;
  cfg.dead_letter_kind = "file";
  cfg.dead_letter_path = work + "/dead-letter.jsonl";  // each node gets its own with --set
  cfg.progress_interval_ms = 1000;
  cfg.features_file = fs::absolute(cfg.features_file).string();
  if (!o.lose.empty()) {
    // Replace the lost node within seconds, not the production minute.
    cfg.cluster_replace_after_ms = drill_replace_after_ms;
    cfg.cluster_connect_timeout_ms = drill_connect_timeout_ms;
  }
}

/// After the drain: Kafka (when the nodes read it) still holds every event, and
/// the last run read from its checkpoint's positions to the end.
void check_events(const job_config& cfg, const drill_cluster& cluster, uint64_t events,
                  drill_report& r) {
  std::string error;
  if (cfg.source_kind == "kafka"
      && !check_topic_holds(cfg.source_bootstrap, cfg.source_topic,
                            static_cast<uint32_t>(cfg.source_partitions), events, r.events_in_kafka,
                            error))
    r.failures.push_back("lost data: " + error);
  if (!cluster.events_read_by_current(r.events_read_after, error))
    r.failures.push_back(error);
  else if (r.events_read() != events)
    r.failures.push_back("lost or duplicated data: the cluster read "
                         + std::to_string(r.events_read()) + " events, " + std::to_string(events)
                         + " were produced");
}

void write_outputs(const drill_options& o, drill_report& r) {
  std::fputs(format_report_text(r).c_str(), stdout);
  std::fflush(stdout);
  if (o.report.empty()) return;
  std::ofstream out(o.report);
  out << format_report_json(r);
  if (!out)
    std::fprintf(stderr, "rtfeat drill: cannot write %s\n", o.report.c_str()),
      r.failures.push_back("report not written");
}

/// Everything after the input exists: the cluster run, the checks, the oracle.
void run_cluster_and_checks(const drill_options& o, job_config& cfg, drill_services& services,
                            const drill_input& input, loopback_ports& ports,
                            const std::string& work, drill_report& r) {
  drill_cluster cluster(work, cfg, ports);
  checkpoint_watch checkpoints(cfg.checkpoint_dir);
  drill_context ctx{o, cluster, services, checkpoints, cfg.checkpoint_dir, input.events};
  auto plan = plan_drill(o.seed, o.nodes, o.kills, o.rescale_to.has_value(), o.checkpoint_ms);
  plan.membership = plan_membership(o);
  if (!run_drill_scenario(ctx, plan, r)) return;  // children end with `cluster`
  check_events(cfg, cluster, input.events, r);
  auto started = steady::now();
  std::fprintf(stderr, "drill: oracle diff of %" PRIu64 " events against Redis\n", input.events);
  r.differences =
    run_oracle(work, cluster.config_path(), input.events_file, services.redis_port(), r);
  r.oracle_s = std::chrono::duration<double>(steady::now() - started).count();
}

/// What can be checked before any directory or process exists: the config loads,
/// --from is readable and large enough for the plan, redis-server is there.
bool check_before_start(const drill_options& o, job_config& cfg, uint64_t& events,
                        std::string& error) {
  events = o.events.value_or(0);
  if (!load_job_config(o.config, {}, cfg, error)) return false;
  if (!o.from.empty() && !count_lines(o.from, events, error)) return false;
  if (error = check_drill_events(o, events); !error.empty()) return false;
  if (find_executable(o.redis_server).empty())
    return error = "cannot find '" + o.redis_server + "' in PATH: install redis-server (Debian: apt-get install "
                   "redis-server) or name the binary with --redis-server PATH", false;
  return true;
}

}  // namespace

int run_drill(const drill_options& o) {
  auto started = steady::now();
  drill_report r;
  r.nodes = o.nodes;
  r.nodes_after = o.rescale_to.value_or(o.nodes);
  r.checkpoint_interval_ms = o.checkpoint_ms;
  r.kills_planned = o.kills;
  r.source = o.from.empty() ? "generated, seed " + std::to_string(o.seed) : o.from;
  std::string error;
  job_config cfg;
  uint64_t expected = 0;
  if (!check_before_start(o, cfg, expected, error)) {
    std::fprintf(stderr, "rtfeat drill: %s\n", error.c_str());
    return 2;
  }
  uint32_t partitions = o.partitions.value_or(default_drill_partitions(expected));
  r.partitions = partitions;
  // The nodes prove a shared secret in their handshake, as in production; set before any thread
  // starts.
  if (std::getenv(cluster_secret_env) == nullptr)
    ::setenv(cluster_secret_env, random_hex(16).c_str(), 0);
  work_dir work(o.keep);
  if (work.path().empty())
    return std::fprintf(stderr, "rtfeat drill: cannot create a work dir in %s\n",
                        fs::temp_directory_path().c_str()),
           1;
  if (o.keep) r.work_dir = work.path();
  std::fprintf(stderr, "drill: work dir %s%s\n", work.path().c_str(),
               o.keep ? " (kept)" : " (removed at the end; --keep keeps it)");
  loopback_ports ports;
  drill_services services;
  drill_feed feed;
  if (!prepare_drill_feed(o, expected, partitions, work.path(), feed, r, error)
      || !services.start_redis(work.path(), o.redis_server, ports, error)
      || !produce_drill_feed(work.path(), cfg.source_topic, partitions, services, feed, r, error)) {
    r.failures.push_back(error);
  } else {
    r.events = feed.input.events;
    r.produce_s = feed.input.seconds;
    point_at_services(cfg, o, work.path(), services, partitions, feed);
    cfg.source_max_rate_per_partition = pace_drill_feed(o, feed, r);
    run_cluster_and_checks(o, cfg, services, feed.input, ports, work.path(), r);
  }
  r.events = feed.input.events;
  r.wall_s = std::chrono::duration<double>(steady::now() - started).count();
  write_outputs(o, r);
  if (drill_stop_requested) return 130;
  return r.passed() ? 0 : 1;
}

}  // namespace rtfeat

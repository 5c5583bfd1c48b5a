// rtfeat oracle: recompute offline, from an events file, what Redis must contain
// (SPEC §4 determinism contract) and optionally diff it against a live Redis.
// Exit codes: 0 = ok / no difference, 1 = difference or I/O failure, 2 = bad config.
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cmd/commands.hpp"
#include "config/feature_catalogue.hpp"
#include "config/host_port.hpp"
#include "config/job_config.hpp"
#include "oracle/expected_state.hpp"
#include "oracle/redis_diff.hpp"
#include "oracle/report.hpp"
#include "runtime/event_parser.hpp"
#include "runtime/redis/cluster/cluster_connections.hpp"
#include "runtime/redis/cluster/slot_tags.hpp"
#include "runtime/redis/redis_reader.hpp"
#include "runtime/redis/redis_target.hpp"

namespace rtfeat::cmd {

namespace {

struct oracle_options {
  std::string config_path;
  std::vector<std::string> sets;
  std::string events_path;
  std::string redis;  // HOST:PORT; empty = redis.host/redis.port (or redis.nodes) of the config
  bool diff = false;
  std::string stats_path;
  size_t max_diffs = 20;
  std::string dump_path;
};

constexpr int redis_timeout_ms = 5000;

// Prints "<what> N (R/s)" on stderr at most once a second.
class progress_printer {
public:
  explicit progress_printer(std::string what) : what_(std::move(what)) {}

  void operator()(uint64_t n) {
    auto now = clock::now();
    if (now - last_ < std::chrono::seconds(1)) return;
    last_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    std::fprintf(stderr, "oracle: %s %llu (%.0f/s)\n", what_.c_str(),
                 static_cast<unsigned long long>(n), static_cast<double>(n) / secs);
  }

private:
  using clock = std::chrono::steady_clock;
  std::string what_;
  clock::time_point start_ = clock::now();
  clock::time_point last_ = start_;
};

void print_summary(const oracle::expected_state& s) {
  const auto& st = s.stats;
  std::cout << "oracle: lines=" << st.lines << " accepted=" << st.accepted
            << " rejected=" << st.rejected << " late=" << st.late << " kept=" << st.kept
            << " final_watermark="
            << (st.final_watermark ? std::to_string(*st.final_watermark) : "none")
            << " expected_keys=" << s.keys.size() << "\n";
  if (!s.undefined_fields.empty())
    std::cout << "oracle: " << s.undefined_fields.size()
              << " item key(s) ranked in several categories: their clicks/click_pct are outside SPEC §4a's"
                 " contract and not compared (docs/semantics.md \"An item in several categories\")\n";
  std::cout << "oracle: rejected_by_reason";
  for (size_t i = 0; i < reject_reason_count; ++i)
    std::cout << " " << reject_reason_names[i] << "=" << st.rejected_by_reason[i];
  std::cout << "\noracle: expected_keys_by_type";
  auto by_type = oracle::keys_by_type(s);
  for (size_t t = 0; t < by_type.size(); ++t)
    std::cout << " " << oracle::to_string(static_cast<oracle::value_type>(t)) << "=" << by_type[t];
  std::cout << "\n";
}

using redis_readers = std::vector<std::unique_ptr<redis_reader>>;

// Connects (before the long recomputation, to fail fast) and returns 0, or an exit code.
// A Redis Cluster is read through one connection per master (--redis: the seed to ask).
int connect_redis(const oracle_options& o, const job_config& cfg, redis_readers& readers) {
  std::string host = cfg.redis_host;
  int port = static_cast<int>(cfg.redis_port);
  if (!o.redis.empty() && !parse_host_port(o.redis, host, port)) {
    std::cerr << "rtfeat oracle: --redis '" << o.redis << "': expected HOST:PORT\n";
    return 2;
  }
  const auto credentials = redis_credentials_from_env(cfg.redis_username);
  std::vector<std::pair<node_address, std::string>> targets;  // node, scratch tag
  std::string error;
  if (cfg.redis_cluster) {
    auto seeds = o.redis.empty() ? redis_cluster_seeds(cfg) : std::vector<node_address>{{host, port}};
    cluster_connections conns(seeds, credentials, redis_timeout_ms);
    if (!conns.refresh(error)) {
      std::cerr << "rtfeat oracle: cannot read the Redis Cluster's slots: " << error << "\n";
      return 1;
    }
    auto masters = conns.map().masters();
    auto first = conns.map().first_slots();
    for (size_t i = 0; i < masters.size(); ++i) targets.emplace_back(masters[i], tag_for_slot(first[i]));
  } else {
    targets.emplace_back(node_address{host, port}, "");
  }
  for (const auto& [node, tag] : targets) {
    auto r = std::make_unique<redis_reader>();
    if (!r->connect(node.host, node.port, redis_timeout_ms, error, credentials)) {
      std::cerr << "rtfeat oracle: cannot reach Redis: " << error << "\n";
      return 1;
    }
    r->set_scratch_tag(tag);
    readers.push_back(std::move(r));
  }
  if (cfg.redis_cluster) std::cerr << "oracle: reading " << readers.size() << " Redis Cluster masters\n";
  return 0;
}

void print_diff(const oracle::expected_state& s, const oracle::diff_result& d) {
  std::cout << "diff: expected_keys=" << s.keys.size() << " redis_keys=" << d.redis_keys
            << " differences=" << d.total();
  if (d.undefined_fields > 0) std::cout << " not_compared_fields=" << d.undefined_fields;
  std::cout << "\n";
  if (d.total() == 0) return;
  std::cout << "diff: missing_keys=" << d.missing_keys << " unexpected_keys=" << d.unexpected_keys
            << " wrong_type=" << d.wrong_type << " missing_ttl=" << d.missing_ttl
            << " missing_fields=" << d.missing_fields
            << " unexpected_fields=" << d.unexpected_fields
            << " different_values=" << d.different_values
            << " different_lists=" << d.different_lists << " missing_members=" << d.missing_members
            << " unexpected_members=" << d.unexpected_members
            << " different_scores=" << d.different_scores
            << " different_strings=" << d.different_strings
            << " different_hyperloglogs=" << d.different_hyperloglogs << "\n";
  std::cout << "diff: by_type";
  for (size_t t = 0; t < d.by_type.size(); ++t)
    std::cout << " "
              << (t < oracle::value_type_count
                    ? oracle::to_string(static_cast<oracle::value_type>(t))
                    : "other")
              << "=" << d.by_type[t];
  std::cout << "\n";
  for (const auto& line : d.lines) std::cout << "  " << line << "\n";
}

// Scans Redis, builds the HyperLogLog references, prints the diff; nullopt on error.
std::optional<oracle::diff_result> run_diff(const oracle_options& o,
                                            const oracle::expected_state& s, redis_readers& readers) {
  std::vector<redis_key_snapshot> snapshot;
  oracle::hll_reference hll;
  std::string error;
  progress_printer progress("redis keys scanned");
  for (auto& r : readers) {
    const auto before = snapshot.size();
    std::vector<redis_key_snapshot> part;
    auto shown = [&](uint64_t n) { progress(before + n); };
    if (!r->scan_all(part, error, shown)) {
      std::cerr << "rtfeat oracle: " << error << "\n";
      return std::nullopt;
    }
    snapshot.insert(snapshot.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
  }
  if (!oracle::make_hll_reference(s, *readers.front(), hll, error)) {
    std::cerr << "rtfeat oracle: " << error << "\n";
    return std::nullopt;
  }
  auto d = oracle::diff_redis(s, snapshot, hll, o.max_diffs);
  print_diff(s, d);
  return d;
}

bool write_outputs(const oracle_options& o, const oracle::expected_state& s,
                   const oracle::diff_result* diff) {
  std::string error;
  if (!o.dump_path.empty() && !oracle::write_text_file(o.dump_path, oracle::dump_text(s), error))
    return std::cerr << "rtfeat oracle: --dump: " << error << "\n", false;
  if (!o.stats_path.empty()
      && !oracle::write_text_file(o.stats_path, oracle::stats_json(s, diff), error))
    return std::cerr << "rtfeat oracle: --stats: " << error << "\n", false;
  return true;
}

int run_oracle(const oracle_options& o) {
  job_config cfg;
  feature_catalogue cat;
  std::string error;
  if (!load_job_config(o.config_path, o.sets, cfg, error)
      || !load_feature_catalogue(cfg.features_file, cat, error)
      || !oracle::check_oracle_support(cat, error)) {
    std::cerr << "rtfeat oracle: bad config: " << error << "\n";
    return 2;
  }
  redis_readers readers;
  if (o.diff)
    if (int rc = connect_redis(o, cfg, readers); rc != 0) return rc;
  oracle::expected_state state;
  progress_printer progress("lines read");
  if (!oracle::compute_expected_state(cfg, cat, o.events_path, wall_clock_ms(), std::ref(progress),
                                      state, error)) {
    std::cerr << "rtfeat oracle: " << error << "\n";
    return 1;
  }
  print_summary(state);
  std::optional<oracle::diff_result> diff;
  if (o.diff) {
    diff = run_diff(o, state, readers);
    if (!diff) return 1;
  }
  std::cout.flush();
  if (!write_outputs(o, state, diff ? &*diff : nullptr)) return 1;
  return diff && diff->total() > 0 ? 1 : 0;
}

}  // namespace

void add_oracle(CLI::App& app) {
  auto o = std::make_shared<oracle_options>();
  auto* sub = app.add_subcommand(
    "oracle", "recompute from an events file what Redis must contain, and diff it against Redis");
  sub->add_option("--config", o->config_path, "job config (TOML)")->required();
  sub->add_option("--set", o->sets, "override a config key: section.key=value (repeatable)");
  sub->add_option("--events", o->events_path, "events file (JSONL, one message per line)")
    ->required();
  sub->add_option("--redis", o->redis, "Redis HOST:PORT (default: redis.host/redis.port)");
  sub->add_flag("--diff", o->diff, "compare with Redis; exit 1 on any difference");
  sub->add_option("--stats", o->stats_path, "write the numbers as JSON to this file");
  sub->add_option("--max-diffs", o->max_diffs, "differences to print")->capture_default_str();
  sub->add_option("--dump", o->dump_path, "write the expected state, one line per key");
  sub->callback([o] { exit_code() = run_oracle(*o); });
}

}  // namespace rtfeat::cmd

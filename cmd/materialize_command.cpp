// rtfeat materialize: an offline table (CSV, one row per user or item) into Redis
// as one hash per row, `user:offline:{id}` / `item:offline:{id}`, for serve to merge
// with the real-time features. Bad rows are reported by line and skipped (exit 1);
// anything that stops the whole load (no file, no id column, no Redis) exits 2.
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include "cmd/commands.hpp"
#include "config/duration.hpp"
#include "config/job_config.hpp"
#include "runtime/offline/csv_reader.hpp"
#include "runtime/offline/offline_table.hpp"
#include "runtime/redis/offline_writer.hpp"
#include "runtime/redis/redis_target.hpp"
#include "runtime/tools/progress_meter.hpp"

namespace rtfeat::cmd {

namespace {

constexpr uint64_t max_reported_rows = 100;  // bad rows printed one by one; the rest are counted

struct materialize_options {
  std::string config_path = "config/rtfeat.toml";
  std::vector<std::string> sets;
  std::string table;
  std::string entity;
  std::string id_column;
  std::string ttl = "7d";
  int64_t batch = 500;
};

struct load_counts {
  uint64_t rows = 0, written = 0, bad = 0, commands = 0;
};

int stop(const std::string& msg) {
  std::fprintf(stderr, "rtfeat materialize: %s\n", msg.c_str());
  return 2;
}

void report_bad(const std::string& table, uint64_t line, const std::string& why, load_counts& n) {
  if (++n.bad <= max_reported_rows)
    std::fprintf(stderr, "rtfeat materialize: %s:%" PRIu64 ": bad row: %s\n", table.c_str(), line,
                 why.c_str());
  if (n.bad == max_reported_rows + 1)
    std::fprintf(stderr, "rtfeat materialize: more bad rows: counted, not shown\n");
}

/// Streams the rows after the header into `writer`; false with `error` when Redis fails.
bool load_rows(const materialize_options& o, model_entity entity, int64_t ttl_s, csv_reader& csv,
               const offline_header& header, offline_writer& writer, load_counts& n,
               std::string& error) {
  std::vector<std::string> cells;
  offline_row row;
  progress_meter progress;
  for (;;) {
    auto r = csv.next(cells, error);
    if (r == csv_reader::result::end) break;
    ++n.rows;
    if (r == csv_reader::result::bad) {
      report_bad(o.table, csv.line(), error, n);
      continue;
    }
    if (auto why = parse_offline_row(header, cells, row); !why.empty()) {
      report_bad(o.table, csv.line(), why, n);
      continue;
    }
    writer.add(offline_key(entity, row.id), row.fields, ttl_s);
    ++n.written;
    if (writer.queued_rows() >= static_cast<size_t>(o.batch) && !writer.flush(n.commands, error))
      return false;
    if (progress.due())
      std::fprintf(stderr, "rtfeat materialize: %" PRIu64 " rows (%" PRIu64 " bad), %.0f rows/s\n",
                   n.rows, n.bad, progress.rate(n.rows));
  }
  return writer.flush(n.commands, error);
}

int run_materialize(const materialize_options& o) {
  job_config cfg;
  std::string error;
  if (!load_job_config(o.config_path, o.sets, cfg, error)) return stop("bad config: " + error);
  auto entity = o.entity == "user" ? model_entity::user : model_entity::item;
  auto ttl_ms = parse_duration_ms(o.ttl);
  if (!ttl_ms || *ttl_ms < 0 || *ttl_ms % 1000 != 0)
    return stop("--ttl '" + o.ttl + "': expected whole seconds (30s, 12h, 7d) or 0 for none");
  if (o.batch < 1) return stop("--batch: expected >= 1");
  std::ifstream in(o.table, std::ios::binary);
  if (!in) return stop("cannot open table '" + o.table + "': " + std::strerror(errno));
  csv_reader csv(in);
  std::vector<std::string> header_cells;
  offline_header header;
  auto id_column = o.id_column.empty() ? std::string(default_id_column(entity)) : o.id_column;
  auto first = csv.next(header_cells, error);
  if (first == csv_reader::result::end)
    return stop(o.table + ": empty table (a header row is required)");
  if (first == csv_reader::result::bad
      || !parse_offline_header(header_cells, id_column, header, error))
    return stop(o.table + ":" + std::to_string(csv.line()) + ": bad header: " + error);
  auto credentials = redis_credentials_from_env(cfg.redis_username);
  auto writer = cfg.redis_cluster
                  ? offline_writer::connect_cluster(redis_cluster_seeds(cfg), credentials, error)
                  : offline_writer::connect(cfg.redis_host, static_cast<int>(cfg.redis_port), credentials, error);
  if (writer == nullptr) return stop(error);
  load_counts n;
  progress_meter clock;
  if (!load_rows(o, entity, *ttl_ms / 1000, csv, header, *writer, n, error))
    return stop(error + " (after " + std::to_string(n.written) + " rows were queued)");
  std::fprintf(stderr,
               "rtfeat materialize: %s: %" PRIu64 " rows, %" PRIu64 " written to %s, %" PRIu64
               " bad, in %.2f s (%.0f rows/s), ttl %" PRId64 " s\n",
               o.table.c_str(), n.rows, n.written,
               offline_key(entity, "<" + id_column + ">").c_str(), n.bad, clock.elapsed_s(),
               clock.rate(n.rows), *ttl_ms / 1000);
  return n.bad > 0 ? 1 : 0;
}

}  // namespace

void add_materialize(CLI::App& app) {
  auto o = std::make_shared<materialize_options>();
  auto* sub = app.add_subcommand(
    "materialize",
    "load an offline table (CSV) into Redis as one hash per row, for serve (docs/serving.md)");
  sub
    ->add_option("--config", o->config_path,
                 "job config (TOML): redis.host, redis.port (or redis.cluster, redis.nodes), redis.username")
    ->capture_default_str();
  sub->add_option("--set", o->sets, "override a config key: section.key=value (repeatable)");
  sub->add_option("--table", o->table, "the table: CSV with a header row (RFC 4180)")->required();
  sub->add_option("--entity", o->entity, "whose rows: user or item")
    ->required()
    ->check(CLI::IsMember({"user", "item"}));
  sub->add_option("--id-column", o->id_column, "the id column (default: user_id or item_id)");
  sub->add_option("--ttl", o->ttl, "EXPIRE of each row (30s, 12h, 7d; 0 = none)")
    ->capture_default_str();
  sub->add_option("--batch", o->batch, "rows per MULTI/EXEC transaction")->capture_default_str();
  sub->callback([o] { exit_code() = run_materialize(*o); });
}

}  // namespace rtfeat::cmd

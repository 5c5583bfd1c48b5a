// rtfeat export: training rows with the feature vector /v1/predict would have
// built at each label's time (docs/training.md). Exit codes: 0 = every row
// exported, 1 = bad label or table rows skipped (the rest is written) or an I/O
// failure, 2 = bad config, model or arguments.
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cmd/commands.hpp"
#include "config/feature_catalogue.hpp"
#include "config/job_config.hpp"
#include "config/model_config.hpp"
#include "runtime/event_parser.hpp"
#include "training/export_run.hpp"

namespace rtfeat::cmd {

namespace {

struct export_options {
  std::string config_path = "config/rtfeat.toml";
  std::vector<std::string> sets;
  std::string model_path;
  training::export_request req;
};

void print_report(const model_config& model, const training::export_report& r,
                  const std::string& out) {
  std::fprintf(stderr,
               "rtfeat export: %" PRIu64 " labels (%" PRIu64 " bad, skipped) x %zu inputs -> %s;"
               " events: %" PRIu64 " lines, %" PRIu64 " kept; read %.2f s, joined in %.2f s (%.0f labels/s)\n",
               r.labels, r.bad_labels, model.inputs.size(), out.c_str(), r.lines, r.kept, r.read_s,
               r.join_s, r.join_s > 0 ? static_cast<double>(r.labels) / r.join_s : 0.0);
  if (r.user_rows + r.item_rows + r.bad_offline_rows > 0)
    std::fprintf(stderr, "rtfeat export: offline rows: %" PRIu64 " users, %" PRIu64 " items, %" PRIu64 " bad\n",
                 r.user_rows, r.item_rows, r.bad_offline_rows);
  std::string defaults;
  for (size_t i = 0; i < model.inputs.size(); ++i)
    if (r.defaults[i] > 0)
      defaults += " " + model.inputs[i].name + "=" + std::to_string(r.defaults[i]);
  if (!defaults.empty()) std::fprintf(stderr, "rtfeat export: rows that took a default:%s\n", defaults.c_str());
  if (r.undefined_values > 0)
    std::fprintf(stderr,
                 "rtfeat export: %" PRIu64 " values undefined (an item ranked in several categories,"
                 " docs/semantics.md), exported as absent\n",
                 r.undefined_values);
}

int run_export(export_options& o) {
  job_config cfg;
  feature_catalogue cat;
  model_config model;
  std::string error;
  if (!load_job_config(o.config_path, o.sets, cfg, error)
      || !load_feature_catalogue(cfg.features_file, cat, error)) {
    std::fprintf(stderr, "rtfeat export: %s\n", error.c_str());
    return 2;
  }
  const std::string& model_path = o.model_path.empty() ? cfg.serve_model : o.model_path;
  if (model_path.empty()) {
    std::fprintf(stderr, "rtfeat export: no model config: give --model or set serve.model\n");
    return 2;
  }
  if (!load_model_config(model_path, cat, model, error) || !training::check_export_setup(cat, model, error)) {
    std::fprintf(stderr, "rtfeat export: %s\n", error.c_str());
    return 2;
  }
  o.req.now_ms = wall_clock_ms();
  training::export_report report;
  auto log = [](const std::string& line) { std::fprintf(stderr, "rtfeat export: %s\n", line.c_str()); };
  if (!training::run_export(cfg, cat, model, o.req, log, report, error)) {
    std::fprintf(stderr, "rtfeat export: %s\n", error.c_str());
    return 1;
  }
  print_report(model, report, o.req.out_path);
  return report.bad_labels + report.bad_offline_rows > 0 ? 1 : 0;
}

}  // namespace

void add_export(CLI::App& app) {
  auto o = std::make_shared<export_options>();
  auto* sub = app.add_subcommand(
    "export", "training rows: each label's feature vector as serve had it at the label's time (docs/training.md)");
  sub->add_option("--config", o->config_path, "job config (TOML): the catalogue, partitions, watermark")
    ->capture_default_str();
  sub->add_option("--set", o->sets, "override a config key: section.key=value (repeatable)");
  sub->add_option("--events", o->req.events_path, "events file (JSONL), the log the engine read")->required();
  sub->add_option("--labels", o->req.labels_path, "labels CSV: user_id, item_id, ts (epoch ms), label, ...")
    ->required();
  sub->add_option("--out", o->req.out_path, "training CSV to write (replaced atomically)")->required();
  sub->add_option("--model", o->model_path, "model config (default: serve.model of the job config)");
  sub->add_option("--user-table", o->req.user_table, "users' offline table (CSV, as rtfeat materialize reads)");
  sub->add_option("--item-table", o->req.item_table, "items' offline table (CSV, as rtfeat materialize reads)");
  sub->add_flag("--log-lines", o->req.log_lines,
                "add a _log_lines column: how many lines of the events file each row saw");
  sub->callback([o] { exit_code() = run_export(*o); });
}

}  // namespace rtfeat::cmd

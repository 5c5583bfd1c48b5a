// rtfeat export's one pass: the events file read once (the oracle's reader), the
// label rows walked in time order while the log prefix grows, one feature
// vector per label (serve's fill_row over export_inputs), written in the label
// file's order. The join rule is docs/training.md's: a label at ts sees the log
// up to, not including, the first kept event whose ts >= the label's ts.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "config/feature_catalogue.hpp"
#include "config/job_config.hpp"
#include "config/model_config.hpp"

namespace rtfeat::training {

struct export_request {
  std::string events_path;
  std::string labels_path;
  std::string out_path;
  std::string user_table, item_table;  // offline tables; empty = none
  bool log_lines = false;  // add `_log_lines`: how many lines of the events file each row saw
  int64_t now_ms = 0;      // the parser's "now" (ts range check), as the oracle takes it
};

struct export_report {
  uint64_t lines = 0, kept = 0;     // of the events file
  uint64_t labels = 0, bad_labels = 0;
  uint64_t user_rows = 0, item_rows = 0, bad_offline_rows = 0;
  uint64_t undefined_values = 0;
  std::vector<uint64_t> defaults;   // per model input: rows where it took its default
  double read_s = 0, join_s = 0;
};

/// False with `error` when export cannot give this model its values: the catalogue
/// has a combination the oracle gives no meaning (check_oracle_support), or serve
/// would refuse the model at start (build_predict_plan). Checked before run_export.
bool check_export_setup(const feature_catalogue& cat, const model_config& model, std::string& error);

/// Progress and bad-row messages, one line each (stderr in the command).
using export_log = std::function<void(const std::string&)>;

/// False with `error` when a file cannot be read or written. Bad label or table rows
/// are reported through `log` and skipped (counted in the report).
/// REQUIRES: check_export_setup(cat, model) holds.
bool run_export(const job_config& cfg, const feature_catalogue& cat, const model_config& model,
                const export_request& req, const export_log& log, export_report& report,
                std::string& error);

}  // namespace rtfeat::training

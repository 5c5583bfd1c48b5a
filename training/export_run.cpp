// run_export (see export_run.hpp).
#include "training/export_run.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>

#include "oracle/event_log.hpp"
#include "oracle/expected_state.hpp"
#include "oracle/point_in_time.hpp"
#include "serve/model/predict_plan.hpp"
#include "training/export_inputs.hpp"

namespace rtfeat::training {

namespace {

using clock = std::chrono::steady_clock;

double seconds_since(clock::time_point t) {
  return std::chrono::duration<double>(clock::now() - t).count();
}

constexpr uint64_t max_reported_rows = 20;  // bad rows printed one by one; the rest are counted

bad_row_fn reporter(const std::string& path, const export_log& log) {
  auto shown = std::make_shared<uint64_t>(0);
  return [path, log, shown](uint64_t line, const std::string& why) {
    if (++*shown <= max_reported_rows) log(path + ":" + std::to_string(line) + ": bad row, skipped: " + why);
    if (*shown == max_reported_rows + 1) log(path + ": more bad rows: counted, not shown");
  };
}

// RFC 4180: quoted when it holds a comma, a quote or a line break.
void append_cell(std::string& out, const std::string& cell) {
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return out.append(cell), void();
  out += '"';
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// The float XGBoost is fed, in its shortest text; a missing value (NaN) is an empty cell.
void append_value(std::string& out, float v) {
  if (std::isnan(v)) return;
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec == std::errc{}) out.append(buf, end);
}

// The (feature, entity) pairs the model's real-time inputs read.
std::vector<std::pair<std::string, model_entity>> wanted_values(const model_config& model) {
  std::vector<std::pair<std::string, model_entity>> out;
  for (const auto& in : model.inputs)
    if (in.kind == input_kind::feature || in.kind == input_kind::length)
      out.emplace_back(in.feature, in.entity);
  return out;
}

bool load_table(const std::string& path, model_entity entity, const export_log& log,
                offline_rows& rows, std::string& error) {
  return path.empty() || rows.load(path, entity, "", reporter(path, log), error);
}

bool write_file(const std::string& path, const std::string& header, const std::vector<std::string>& rows,
                std::string& error) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << header;
    for (const auto& r : rows) out << r;
    out.flush();
    if (!out) return error = tmp + ": write failed (disk full?)", std::remove(tmp.c_str()), false;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return error = path + ": cannot rename " + tmp, false;
  return true;
}

}  // namespace

bool check_export_setup(const feature_catalogue& cat, const model_config& model, std::string& error) {
  serve::predict_plan plan;  // serve's start check: a key needing more than the entity's id
  return oracle::check_oracle_support(cat, error) && serve::build_predict_plan(model, plan, error);
}

bool run_export(const job_config& cfg, const feature_catalogue& cat, const model_config& model,
                const export_request& req, const export_log& log, export_report& report,
                std::string& error) {
  auto started = clock::now();
  label_file labels;
  if (!read_label_file(req.labels_path, reporter(req.labels_path, log), labels, error)) return false;
  offline_rows users, items;
  if (!load_table(req.user_table, model_entity::user, log, users, error)
      || !load_table(req.item_table, model_entity::item, log, items, error))
    return false;
  oracle::event_log_options opts;
  opts.partitions = static_cast<int32_t>(cfg.source_partitions);
  opts.out_of_orderness_ms = cfg.out_of_orderness_ms;
  opts.max_future_skew_ms = cfg.max_future_skew_ms;
  opts.max_lateness_ms = oracle::max_lateness_ms(cat);
  opts.now_ms = req.now_ms;
  opts.progress = [&](uint64_t lines) {
    log("read " + std::to_string(lines) + " event lines ("
        + std::to_string(static_cast<uint64_t>(static_cast<double>(lines) / std::max(seconds_since(started), 1e-9)))
        + "/s)");
  };
  std::vector<oracle::kept_event> kept;
  oracle::event_log_stats stats;
  if (!oracle::read_event_log(req.events_path, opts, kept, stats, error)) return false;
  report.lines = stats.lines;
  report.kept = stats.kept;
  report.labels = labels.rows.size();
  report.bad_labels = labels.bad_rows;
  report.user_rows = users.size();
  report.item_rows = items.size();
  report.bad_offline_rows = users.bad_rows() + items.bad_rows();
  report.read_s = seconds_since(started);

  started = clock::now();
  std::vector<size_t> order(labels.rows.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return labels.rows[a].ts < labels.rows[b].ts; });
  oracle::point_in_time values(cat, wanted_values(model), kept, opts.partitions, cfg.out_of_orderness_ms);
  export_inputs inputs(model, values, labels, req.user_table.empty() ? nullptr : &users,
                       req.item_table.empty() ? nullptr : &items);
  std::vector<float> row(model.inputs.size());
  std::vector<absent_input> absent;
  std::vector<std::string> lines(labels.rows.size());
  report.defaults.assign(model.inputs.size(), 0);
  size_t cut = 0;
  auto last_progress = clock::now();
  for (size_t done = 0; done < order.size(); ++done) {
    const label_row& label = labels.rows[order[done]];
    // The first kept event at or after the label's time ends the prefix it sees.
    while (cut < kept.size() && kept[cut].ts < label.ts) ++cut;
    values.advance_to(cut);
    inputs.set_row(label);
    absent.clear();
    fill_row(model, inputs, row, absent);
    for (const auto& a : absent) ++report.defaults[a.input];
    std::string& line = lines[order[done]];
    for (size_t c = 0; c < label.cells.size(); ++c) {
      if (c > 0) line += ',';
      append_cell(line, label.cells[c]);
    }
    if (req.log_lines) {
      line += ',';
      line += std::to_string(cut < kept.size() ? kept[cut].line - 1 : stats.lines);
    }
    for (float v : row) {
      line += ',';
      append_value(line, v);
    }
    line += '\n';
    if (clock::now() - last_progress >= std::chrono::seconds(1)) {
      last_progress = clock::now();
      log("joined " + std::to_string(done + 1) + "/" + std::to_string(order.size()) + " labels ("
          + std::to_string(static_cast<uint64_t>(static_cast<double>(done + 1) / seconds_since(started)))
          + "/s), log at line " + std::to_string(cut < kept.size() ? kept[cut].line : stats.lines));
    }
  }
  report.undefined_values = inputs.undefined_values();

  std::string header;
  for (size_t c = 0; c < labels.columns.size(); ++c) {
    if (c > 0) header += ',';
    append_cell(header, labels.columns[c]);
  }
  if (req.log_lines) header += ",_log_lines";
  for (const auto& in : model.inputs) header += "," + in.name;
  header += '\n';
  if (!write_file(req.out_path, header, lines, error)) return false;
  report.join_s = seconds_since(started);
  return true;
}

}  // namespace rtfeat::training

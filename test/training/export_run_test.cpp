// rtfeat export's join rule on hand-made logs: which events a label sees, the
// boundary at exactly its ts, out-of-order events, offline and context inputs,
// and the file it writes. Every expected value is counted by hand.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "config/model_config.hpp"
#include "test/oracle/oracle_test_support.hpp"
#include "training/export_run.hpp"

namespace rtfeat::oracle::test {

namespace {

const char* const model_toml = R"toml(model = "m.json"
id = "t"
[[input]]
name = "clicks5"
source = 'user.user_category_clicks["5"]'
default = 0
[[input]]
name = "views"
source = "len(user.user_browsed_categories)"
default = -1
[[input]]
name = "price"
source = "item.offline.price"
default = nan
[[input]]
name = "hour"
source = "context.hour"
default = nan
)toml";

struct export_result {
  bool ok = false;
  std::string error;
  std::vector<std::string> lines;  // of the written file
  training::export_report report;
  std::vector<std::string> log;
};

export_result run(const std::string& events, const std::string& labels, bool with_items = true) {
  temp_dir dir;
  job_config cfg;
  feature_catalogue cat;
  model_config model;
  std::string error;
  REQUIRE(load_job_config("", {"features.file=" RTFEAT_SOURCE_DIR "/config/features.toml"}, cfg, error));
  REQUIRE(load_feature_catalogue(cfg.features_file, cat, error));
  REQUIRE_MESSAGE(load_model_config(dir.write("model.toml", model_toml), cat, model, error), error);
  training::export_request req;
  req.events_path = dir.write("events.jsonl", events);
  req.labels_path = dir.write("labels.csv", labels);
  if (with_items) req.item_table = dir.write("items.csv", "item_id,price\ni1,12.5\ni2,\n");
  req.out_path = dir.file("train.csv");
  req.log_lines = true;
  req.now_ms = test_now_ms;
  export_result r;
  r.ok = training::run_export(cfg, cat, model, req, [&](const std::string& l) { r.log.push_back(l); },
                              r.report, r.error);
  std::ifstream in(req.out_path);
  for (std::string line; std::getline(in, line);) r.lines.push_back(line);
  return r;
}

}  // namespace

TEST_CASE("a label sees the log up to the first event at or after its time") {
  // Log order: T, T+1000, T+2000, then T+500 arriving late (out of order), then T+9000.
  auto events = jsonl({click("u1", "i1", 5, B), click("u1", "i1", 5, B + 1000),
                       click("u1", "i1", 5, B + 2000), click("u1", "i1", 5, B + 500),
                       click("u1", "i1", 5, B + 9000)});
  auto t = [](int64_t dt) { return std::to_string(B + dt); };
  // Rows out of time order, with an extra column holding a comma.
  auto labels = "user_id,item_id,ts,label,hour,note\n"
                "u1,i1," + t(2000) + ",1,3,exactly at an event\n"
                "u1,i1," + t(0) + ",0,3,before everything\n"
                "u1,i1," + t(1001) + ",0,3,\"a, b\"\n"
                "u1,i1," + t(2001) + ",1,,after the late one\n"
                "u1,i2," + t(100000) + ",0,4,all\n";
  auto r = run(events, labels);
  REQUIRE_MESSAGE(r.ok, r.error);
  REQUIRE(r.lines.size() == 6);
  CHECK(r.lines[0] == "user_id,item_id,ts,label,hour,note,_log_lines,clicks5,views,price,hour");
  // T+2000: the event at exactly T+2000 is not seen; T and T+1000 are.
  CHECK(r.lines[1] == "u1,i1," + t(2000) + ",1,3,exactly at an event,2,2,-1,12.5,3");
  // T: nothing before it, so every input takes its default.
  CHECK(r.lines[2] == "u1,i1," + t(0) + ",0,3,before everything,0,0,-1,12.5,3");
  CHECK(r.lines[3] == "u1,i1," + t(1001) + ",0,3,\"a, b\",2,2,-1,12.5,3");
  // T+2001: the first event at or after it is T+9000 (line 5), so the late T+500 is seen.
  CHECK(r.lines[4] == "u1,i1," + t(2001) + ",1,,after the late one,4,4,-1,12.5,");
  // i2's price cell is empty (absent, nan); all five clicks are seen.
  CHECK(r.lines[5] == "u1,i2," + t(100000) + ",0,4,all,5,5,-1,,4");
  CHECK(r.report.labels == 5);
  CHECK(r.report.defaults[0] == 1);  // clicks5 at T
  CHECK(r.report.defaults[1] == 5);  // no views at all
}

TEST_CASE("a view sequence's length and a late event that the watermark refuses") {
  // u2 views at T (category 5) and T + 10 min; then an event 20 min behind the
  // watermark: late (lateness 1 min) for every feature, so never seen.
  auto events = jsonl({ev("u2", "view", "i1", 5, B), ev("u2", "view", "i1", 6, B + 600000),
                       ev("u2", "click", "i1", 5, B + 600000 - 1200000),
                       ev("u2", "view", "i1", 7, B + 700000)});
  auto labels = "user_id,item_id,ts,label\nu2,i1," + std::to_string(B + 600001) + ",0\n"
                "u2,i1," + std::to_string(B + 700001) + ",0\n";
  auto r = run(events, labels, false);
  REQUIRE_MESSAGE(r.ok, r.error);
  REQUIRE(r.lines.size() == 3);
  // Label at T+600001 sees lines 1-3 (the cut is the view at T+700000): two views in the
  // 10 min / 1 min window (W = T+595000, tail T-60000), and the late click is no click.
  CHECK(r.lines[1] == "u2,i1," + std::to_string(B + 600001) + ",0,3,0,2,,");
  // At T+700001 all four lines: W = T+695000 moves the tail to T+60000, so the view at T left.
  CHECK(r.lines[2] == "u2,i1," + std::to_string(B + 700001) + ",0,4,0,2,,");
}

TEST_CASE("bad label rows are reported with their line and skipped; a bad header stops") {
  auto events = jsonl({click("u1", "i1", 5, B)});
  auto r = run(events, "user_id,item_id,ts,label\nu1,i1,notatime,1\nu1,i1,5\n,i1,5,0\nu1,i1,"
                         + std::to_string(B + 1) + ",1\n");
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.report.labels == 1);
  CHECK(r.report.bad_labels == 3);
  REQUIRE(r.log.size() >= 3);
  CHECK(r.log[0].find("labels.csv:2: bad row, skipped: ts 'notatime' is not an integer") != std::string::npos);
  CHECK(r.log[1].find("labels.csv:3: bad row, skipped: 3 cells, the header has 4") != std::string::npos);
  CHECK(r.log[2].find("labels.csv:4: bad row, skipped: user_id") != std::string::npos);
  REQUIRE(r.lines.size() == 2);
  CHECK(r.lines[1] == "u1,i1," + std::to_string(B + 1) + ",1,1,1,-1,12.5,");

  auto no_ts = run(events, "user_id,item_id,time,label\n");
  CHECK_FALSE(no_ts.ok);
  CHECK(no_ts.error.find("no 'ts' column in the header") != std::string::npos);
}

}  // namespace rtfeat::oracle::test

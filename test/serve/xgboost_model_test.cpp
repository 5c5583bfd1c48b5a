// The XGBoost wrapper: scores equal to python-xgboost's own for the same vectors
// (test/data/model/expected_scores.csv, written by train_model.py), from one
// thread or several, and load errors that name the file and the reason.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

#include "config/model_config.hpp"
#include "serve/model/xgboost_model.hpp"

using namespace rtfeat;

namespace {

const std::string data_dir = std::string(RTFEAT_SOURCE_DIR) + "/test/data/model";
const std::string model_path = data_dir + "/model.json";

std::vector<std::string> input_names() {
  feature_catalogue cat;
  model_config m;
  std::string error;
  REQUIRE(
    load_feature_catalogue(std::string(RTFEAT_SOURCE_DIR) + "/config/features.toml", cat, error));
  REQUIRE_MESSAGE(load_model_config(data_dir + "/model.toml", cat, m, error), error);
  std::vector<std::string> names;
  for (const auto& in : m.inputs) names.push_back(in.name);
  return names;
}

/// expected_scores.csv: a header of the input names and "score", then one vector and its score per
/// line.
struct expected_scores {
  std::vector<std::string> names;
  std::vector<float> rows;  // row-major
  std::vector<float> scores;
};

expected_scores read_expected() {
  expected_scores e;
  std::ifstream in(data_dir + "/expected_scores.csv");
  REQUIRE(in);
  std::string line, cell;
  std::getline(in, line);
  std::istringstream header(line);
  while (std::getline(header, cell, ',')) e.names.push_back(cell);
  REQUIRE(e.names.back() == "score");
  e.names.pop_back();
  while (std::getline(in, line)) {
    std::istringstream cells(line);
    std::vector<float> values;
    while (std::getline(cells, cell, ','))
      values.push_back(std::strtof(cell.c_str(), nullptr));  // "nan" included
    REQUIRE(values.size() == e.names.size() + 1);
    e.scores.push_back(values.back());
    e.rows.insert(e.rows.end(), values.begin(), values.end() - 1);
  }
  return e;
}

std::string load_error(const std::string& path, const std::vector<std::string>& names) {
  std::string error;
  CHECK(xgboost_model::load(path, names, error) == nullptr);
  return error;
}

std::string temp_file(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("rtfeat_xgb_" + name);
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

std::string model_text() {
  std::ifstream in(model_path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Largest |score - expected| over the rows scored `batch` at a time.
double max_difference(const xgboost_model& m, const expected_scores& e, size_t batch) {
  size_t cols = e.names.size();
  size_t n = e.scores.size();
  double worst = 0;
  std::vector<float> out;
  std::string error;
  for (size_t first = 0; first < n; first += batch) {
    size_t rows = std::min(batch, n - first);
    if (!m.predict(e.rows.data() + first * cols, rows, cols, out, error))
      return std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < rows; ++i)
      worst = std::max(worst, std::abs(static_cast<double>(out[i]) - e.scores[first + i]));
  }
  return worst;
}

}  // namespace

TEST_SUITE("serve.xgboost_model") {
  TEST_CASE("scores equal python-xgboost's for the same vectors, in any batch size") {
    auto e = read_expected();
    CHECK(e.names == input_names());
    REQUIRE(e.scores.size() >= 100);
    std::string error;
    auto m = xgboost_model::load(model_path, e.names, error);
    REQUIRE_MESSAGE(m != nullptr, error);
    CHECK(m->num_features() == e.names.size());
    for (size_t batch : {size_t{1}, size_t{7}, e.scores.size()})
      CHECK(max_difference(*m, e, batch) <= 1e-6);
  }

  TEST_CASE("the expected scores are not all alike, and missing inputs change them") {
    auto e = read_expected();
    auto [lo, hi] = std::minmax_element(e.scores.begin(), e.scores.end());
    CHECK(*hi - *lo > 0.1);
    size_t with_nan = 0;
    for (float v : e.rows) with_nan += std::isnan(v) ? 1 : 0;
    CHECK(with_nan > 50);
  }

  TEST_CASE("concurrent predictions from several threads all equal python's") {
    auto e = read_expected();
    std::string error;
    auto m = xgboost_model::load(model_path, e.names, error);
    REQUIRE(m != nullptr);
    std::vector<double> worst(4, 0);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < worst.size(); ++t)
      threads.emplace_back([&, t] {
        for (int round = 0; round < 50; ++round)
          worst[t] = std::max(worst[t], max_difference(*m, e, 1 + t * 13));
      });
    for (auto& t : threads) t.join();
    for (double w : worst) CHECK(w <= 1e-6);
  }

  TEST_CASE("a row of the wrong width, or no rows at all") {
    auto names = input_names();
    std::string error;
    auto m = xgboost_model::load(model_path, names, error);
    REQUIRE(m != nullptr);
    std::vector<float> row(names.size() + 1, 0), out{1, 2};
    CHECK_FALSE(m->predict(row.data(), 1, row.size(), out, error));
    CHECK(error == "predict: rows of 11 values, the model has 10 features");
    CHECK(m->predict(row.data(), 0, names.size(), out, error));
    CHECK(out.empty());
  }

  TEST_CASE("a missing or empty file is refused with the path and the reason") {
    auto names = input_names();
    CHECK(load_error("/nonexistent/model.json", names)
          == "/nonexistent/model.json: cannot open the model: No such file or directory");
    auto empty = temp_file("empty.json", "");
    CHECK(load_error(empty, names) == empty + ": the model file is empty");
  }

  TEST_CASE("a corrupt model is refused with XGBoost's reason, without its stack trace") {
    auto names = input_names();
    auto truncated = temp_file("truncated.json", model_text().substr(0, 3000));
    auto error = load_error(truncated, names);
    CHECK(error.starts_with(truncated + ": not an XGBoost model: "));
    CHECK(error.find("character position") != std::string::npos);
    CHECK(error.find("Stack trace") == std::string::npos);
    CHECK(error.find('\n') == std::string::npos);
    auto garbage = temp_file("garbage.json", "this is not json");
    CHECK(load_error(garbage, names).starts_with(garbage + ": not an XGBoost model: "));
    auto not_a_model = temp_file("object.json", "{\"a\": 1}");
    CHECK(load_error(not_a_model, names).starts_with(not_a_model + ": not an XGBoost model: "));
  }

  TEST_CASE("a model whose features differ from model.toml's inputs is refused") {
    auto names = input_names();
    auto fewer = names;
    fewer.pop_back();
    CHECK(load_error(model_path, fewer)
          == model_path + ": the model has 10 features, model.toml has 9 inputs");
    auto swapped = names;
    std::swap(swapped[0], swapped[1]);
    CHECK(load_error(model_path, swapped)
          == model_path + ": feature 0 is '" + names[0] + "' in the model but '" + names[1]
               + "' in model.toml (same inputs, same order)");
  }

  TEST_CASE("a model with several scores per row is refused: ranking needs one") {
    auto path = data_dir + "/multiclass.json";
    CHECK(load_error(path, input_names())
          == path + ": the model gives 3 scores per row; ranking needs one (binary:logistic, reg:*, rank:*)");
  }
}

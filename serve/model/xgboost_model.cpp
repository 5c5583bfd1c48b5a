// XGBoost C API adapter (see xgboost_model.hpp): XGBoosterPredictFromDense over
// an array-interface description of the caller's rows, so rows are never copied
// into a DMatrix; the result, a per-thread buffer of the booster, is copied out.
#include "serve/model/xgboost_model.hpp"

#include <xgboost/c_api.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>

namespace rtfeat {

namespace {

/// XGBGetLastError() without its timestamp, source location, context lines and stack trace:
/// "[08:44:22] ./src/common/json.cc:407: Unknown construct, ..." -> "Unknown construct, ...".
std::string last_error() {
  std::string s = XGBGetLastError();
  s.resize(std::min(s.find('\n'), s.size()));
  if (auto close = s.find("] "); s.starts_with('[') && close != std::string::npos)
    s.erase(0, close + 2);
  auto colon = s.find(": ");
  if (colon != std::string::npos && s.find_first_of("/.") < colon && s.find(' ') > colon) {
    auto line = s.rfind(':', colon - 1);  // "./src/common/io.cc:102"
    if (line != std::string::npos && line + 1 < colon
        && s.find_first_not_of("0123456789", line + 1) == colon)
      s.erase(0, colon + 2);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == ':')) s.pop_back();
  return s.empty() ? "unknown XGBoost error" : s;
}

/// Empty when `path` can be read and is not empty, else why not.
std::string unreadable(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::string("cannot open the model: ") + std::strerror(errno);
  if (in.peek() == std::ifstream::traits_type::eof()) return "the model file is empty";
  return {};
}

std::string feature_name_error(BoosterHandle b, const std::vector<std::string>& expected) {
  bst_ulong len = 0;
  const char** names = nullptr;
  if (XGBoosterGetStrFeatureInfo(b, "feature_name", &len, &names) != 0) return last_error();
  for (bst_ulong i = 0; i < len && i < expected.size(); ++i)
    if (expected[i] != names[i])
      return "feature " + std::to_string(i) + " is '" + names[i] + "' in the model but '"
             + expected[i] + "' in model.toml (same inputs, same order)";
  return {};
}

}  // namespace

xgboost_model::xgboost_model(void* booster, std::string path, size_t num_features)
    : booster_(booster),
      path_(std::move(path)),
      num_features_(num_features),
      config_(
        R"({"type":0,"iteration_begin":0,"iteration_end":0,"strict_shape":false,"cache_id":0,)"
        R"("missing":NaN})") {}

xgboost_model::~xgboost_model() { XGBoosterFree(booster_); }

std::unique_ptr<xgboost_model> xgboost_model::load(const std::string& path,
                                                   const std::vector<std::string>& feature_names,
                                                   std::string& error) {
  auto fail = [&](const std::string& why) {
    error = path + ": " + why;
    return nullptr;
  };
  if (auto why = unreadable(path); !why.empty()) return fail(why);
  BoosterHandle b = nullptr;
  if (XGBoosterCreate(nullptr, 0, &b) != 0) return fail(last_error());
  std::unique_ptr<xgboost_model> model(
    new xgboost_model(b, path, 0));  // frees the booster on any error
  if (XGBoosterLoadModel(b, path.c_str()) != 0)
    return fail("not an XGBoost model: " + last_error());
  bst_ulong n = 0;
  if (XGBoosterGetNumFeature(b, &n) != 0) return fail(last_error());
  if (n != feature_names.size())
    return fail("the model has " + std::to_string(n) + " features, model.toml has "
                + std::to_string(feature_names.size()) + " inputs");
  if (auto why = feature_name_error(b, feature_names); !why.empty()) return fail(why);
  if (XGBoosterSetParam(b, "nthread", "1") != 0) return fail(last_error());
  model->num_features_ = n;
  // The warm-up configures the booster once, here, rather than inside the first request.
  std::vector<float> row(n, std::numeric_limits<float>::quiet_NaN()), out;
  std::string why;
  if (!model->predict(row.data(), 1, n, out, why)) return fail(why);
  return model;
}

bool xgboost_model::predict(const float* rows, size_t n_rows, size_t n_cols,
                            std::vector<float>& out, std::string& error) const {
  out.clear();
  if (n_cols != num_features_) {
    error = "predict: rows of " + std::to_string(n_cols) + " values, the model has "
            + std::to_string(num_features_) + " features";
    return false;
  }
  if (n_rows == 0) return true;
  char array[160];  // numpy's __array_interface__, version 3, as JSON
  std::snprintf(array, sizeof array,
                R"({"data":[%ju,true],"shape":[%zu,%zu],"typestr":"<f4","version":3})",
                static_cast<uintmax_t>(reinterpret_cast<uintptr_t>(rows)), n_rows, n_cols);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  if (XGBoosterPredictFromDense(booster_, array, config_.c_str(), nullptr, &shape, &dim, &result)
      != 0) {
    error = "predict: " + last_error();
    return false;
  }
  size_t total = 1;
  for (bst_ulong d = 0; d < dim; ++d) total *= shape[d];
  if (total != n_rows) {
    error = "the model gives " + std::to_string(total / n_rows)
            + " scores per row; ranking needs one (binary:logistic, reg:*, rank:*)";
    return false;
  }
  out.assign(result, result + n_rows);
  return true;
}

}  // namespace rtfeat

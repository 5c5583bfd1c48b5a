// An XGBoost model loaded through the C API (Debian's libxgboost 1.7), for
// POST /v1/predict: scores of dense float rows. Loading checks what a wrong model
// would otherwise get wrong silently: the feature count (and the names, when the
// model has them) against model.toml, and one score per row.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace rtfeat {

class xgboost_model {
public:
  ~xgboost_model();
  xgboost_model(const xgboost_model&) = delete;
  xgboost_model& operator=(const xgboost_model&) = delete;

  /// Loads the JSON model at `path` with nthread = 1 and runs one warm-up prediction.
  /// `feature_names` are model.toml's input names in order: the model must have as many
  /// features, and when it stores feature names they must be the same, in the same order.
  /// nullptr and `error` ("model.json: <reason>") when the file is missing or is not a
  /// model XGBoost can load, the features differ, or it gives more than one score per row.
  static std::unique_ptr<xgboost_model> load(const std::string& path,
                                             const std::vector<std::string>& feature_names,
                                             std::string& error);

  /// Scores `n_rows` rows of `n_cols` floats (row-major, NaN = missing) into `out`
  /// (resized to n_rows). False with `error` on an XGBoost error or a wrong width.
  /// Thread-safe: any number of threads may predict at once (gbtree predictions keep
  /// their buffers per thread; nothing changes the booster after load).
  bool predict(const float* rows, size_t n_rows, size_t n_cols, std::vector<float>& out,
               std::string& error) const;

  size_t num_features() const { return num_features_; }
  const std::string& path() const { return path_; }

private:
  xgboost_model(void* booster, std::string path, size_t num_features);

  void* booster_;  // BoosterHandle
  std::string path_;
  size_t num_features_;
  std::string config_;  // the prediction config JSON, built once
};

}  // namespace rtfeat

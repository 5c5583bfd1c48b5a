// POST /v1/predict: the user's and every candidate's real-time and offline
// values in one pipelined Redis batch, one feature vector per candidate
// (model.toml), scored by the XGBoost model on the loop's thread, answered
// sorted by score with the model's id.
#pragma once

#include <chrono>
#include <string_view>

#include "config/model_config.hpp"
#include "serve/http/http_server.hpp"
#include "serve/model/predict_plan.hpp"
#include "serve/model/xgboost_model.hpp"
#include "serve/serve_loop.hpp"

namespace rtfeat::serve {

class predict_api {
public:
  /// REQUIRES: all three outlive the api; `plan` built from `model`.
  predict_api(const model_config& model, const xgboost_model& booster, const predict_plan& plan, size_t max_candidates,
              std::chrono::milliseconds deadline);

  void post(serve_loop& loop, std::string_view body, const respond_fn& respond) const;

  /// Index of the read holding the sequence of a `len(...)` input, per input (-1: not a length).
  const std::vector<int>& length_reads() const { return length_reads_; }

private:
  const model_config& model_;
  const xgboost_model& booster_;
  const predict_plan& plan_;
  size_t max_candidates_;
  std::chrono::milliseconds deadline_;
  std::vector<int> length_reads_;
};

}  // namespace rtfeat::serve

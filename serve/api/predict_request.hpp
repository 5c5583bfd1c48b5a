// The body of POST /v1/predict: {"user_id": "u1", "item_ids": ["i1", ...],
// "context": {"hour": 13}, "return_inputs": false}. Read with simdjson DOM;
// errors say what is wrong (malformed JSON with its byte offset).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtfeat::serve {

struct predict_request {
  std::string user_id;
  std::vector<std::string> item_ids;
  std::vector<std::pair<std::string, double>> context;
  bool return_inputs = false;  // each score with the model's input vector (for checks and debugging)
};

bool parse_predict_request(std::string_view body, predict_request& out, std::string& error);

}  // namespace rtfeat::serve

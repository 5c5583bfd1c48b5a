// Predict route (see predict_api.hpp).
#include "serve/api/predict_api.hpp"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

#include "runtime/entity_id.hpp"
#include "serve/api/feature_api.hpp"
#include "serve/api/predict_request.hpp"
#include "serve/json/json_out.hpp"
#include "serve/model/feature_vector.hpp"

namespace rtfeat::serve {

namespace {

http_response bad_request(std::string_view why) { return {400, error_body(why), "application/json", 0}; }

void append_float(std::string& out, float v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back to v
  if (ec != std::errc{} || !std::isfinite(v)) return out.append("null"), void();
  out.append(buf, end);
}

/// The model's inputs for the user and one candidate, over the request's replies.
class reply_inputs final : public vector_inputs {
public:
  reply_inputs(const predict_plan& plan, const model_config& model, const std::vector<int>& length_reads,
               const predict_request& req, reply_span user, reply_span item)
    : plan_(plan), model_(model), length_reads_(length_reads), req_(req), user_(user), item_(item) {}

  std::optional<double> feature(const feature_ref& ref) const override {
    int i = plan_.find(ref.entity, ref.key, ref.where);
    if (i < 0) return std::nullopt;
    const redisReply* r = replies(ref.entity)[static_cast<size_t>(i)];
    switch (ref.where) {
      case redis_value::hash_field:
        if (auto v = reply_field(r, ref.field)) return parse_number(*v);
        return std::nullopt;
      case redis_value::string:
        if (r != nullptr && r->type == REDIS_REPLY_STRING) return parse_number(std::string_view(r->str, r->len));
        return std::nullopt;
      default:
        if (r != nullptr && r->type == REDIS_REPLY_INTEGER && r->integer > 0) return static_cast<double>(r->integer);
        return std::nullopt;
    }
  }
  std::optional<uint64_t> length(model_entity entity, std::string_view feature) const override {
    for (size_t k = 0; k < model_.inputs.size(); ++k) {
      const auto& in = model_.inputs[k];
      if (length_reads_[k] < 0 || in.entity != entity || in.feature != feature) continue;
      const redisReply* r = replies(entity)[static_cast<size_t>(length_reads_[k])];
      if (r != nullptr && r->type == REDIS_REPLY_INTEGER && r->integer > 0) return static_cast<uint64_t>(r->integer);
      return std::nullopt;
    }
    return std::nullopt;
  }
  std::optional<std::string_view> offline(model_entity entity, std::string_view column) const override {
    int i = plan_.offline(entity);
    if (i < 0) return std::nullopt;
    return reply_field(replies(entity)[static_cast<size_t>(i)], column);
  }
  std::optional<double> context(std::string_view name) const override {
    for (const auto& [k, v] : req_.context)
      if (k == name) return v;
    return std::nullopt;
  }

private:
  reply_span replies(model_entity e) const { return e == model_entity::user ? user_ : item_; }

  const predict_plan& plan_;
  const model_config& model_;
  const std::vector<int>& length_reads_;
  const predict_request& req_;
  reply_span user_, item_;
};

}  // namespace

predict_api::predict_api(const model_config& model, const xgboost_model& booster, const predict_plan& plan,
                         size_t max_candidates, std::chrono::milliseconds deadline)
  : model_(model), booster_(booster), plan_(plan), max_candidates_(max_candidates), deadline_(deadline) {
  for (const auto& in : model_.inputs)
    length_reads_.push_back(in.kind == input_kind::length ? plan_.find(in.entity, in.key, in.where) : -1);
}

void predict_api::post(serve_loop& loop, std::string_view body, const respond_fn& respond) const {
  auto started = steady_clock::now();
  auto req = std::make_shared<predict_request>();
  std::string bad;
  if (!parse_predict_request(body, *req, bad)) return respond(bad_request(bad));
  if (auto why = entity_id_problem(req->user_id); !why.empty()) return respond(bad_request("user_id: " + why));
  if (req->item_ids.empty()) return respond(bad_request("item_ids is empty: nothing to score"));
  if (req->item_ids.size() > max_candidates_)
    return respond(bad_request(std::to_string(req->item_ids.size()) + " candidates is over serve.max_batch ("
                               + std::to_string(max_candidates_) + ")"));
  for (size_t i = 0; i < req->item_ids.size(); ++i)
    if (auto why = entity_id_problem(req->item_ids[i]); !why.empty())
      return respond(bad_request("item_ids[" + std::to_string(i) + "]: " + why));

  std::string commands;
  for (const auto& r : plan_.reads[0]) append_model_read(commands, r, req->user_id);
  for (const auto& id : req->item_ids)
    for (const auto& r : plan_.reads[1]) append_model_read(commands, r, id);
  size_t user_n = plan_.reads[0].size(), item_n = plan_.reads[1].size();
  size_t count = user_n + item_n * req->item_ids.size();

  auto score = [this, &loop, req, respond, started, user_n, item_n](reply_span replies) {
    size_t cols = model_.inputs.size(), n = req->item_ids.size();
    std::vector<float> rows(n * cols);
    std::vector<absent_input> absent;
    uint64_t defaults = 0;
    auto user = replies.subspan(0, user_n);
    for (size_t c = 0; c < n; ++c) {
      reply_inputs in(plan_, model_, length_reads_, *req, user, replies.subspan(user_n + c * item_n, item_n));
      absent.clear();
      fill_row(model_, in, std::span<float>(rows.data() + c * cols, cols), absent);
      defaults += absent.size();
      for (const auto& a : absent) loop.metrics.predict_input_absent[a.input].fetch_add(1, std::memory_order_relaxed);
    }
    std::vector<float> scores;
    std::string why;
    if (!booster_.predict(rows.data(), n, cols, scores, why))
      return respond({500, error_body("prediction failed: " + why), "application/json", 0});
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
    std::string out = "{\"model\":";
    append_json_string(out, model_.id);
    out += ",\"user_id\":";
    append_json_string(out, req->user_id);
    out += ",\"scores\":[";
    for (size_t k = 0; k < n; ++k) {
      size_t c = order[k];
      if (k > 0) out += ',';
      out += "{\"item_id\":";
      append_json_string(out, req->item_ids[c]);
      out += ",\"score\":";
      append_float(out, scores[c]);
      if (req->return_inputs) {
        out += ",\"inputs\":[";
        for (size_t j = 0; j < cols; ++j) {
          if (j > 0) out += ',';
          append_float(out, rows[c * cols + j]);
        }
        out += ']';
      }
      out += '}';
    }
    out += "],\"defaults_used\":";
    append_json_int(out, static_cast<int64_t>(defaults));
    out += '}';
    auto& m = loop.metrics;
    m.predict_candidates.fetch_add(n, std::memory_order_relaxed);
    m.predict_inputs.fetch_add(n * cols, std::memory_order_relaxed);
    m.predict_defaults.fetch_add(defaults, std::memory_order_relaxed);
    m.predict_us.observe(static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(steady_clock::now() - started).count()));
    respond({200, std::move(out), "application/json", 0});
  };
  if (count == 0) return score({});
  loop.read(commands, count, steady_clock::now() + deadline_,
            [&loop, score = std::move(score), respond, this](reply_span replies, std::string_view error) {
              if (error.empty()) {
                loop.metrics.redis_round_trips.fetch_add(1, std::memory_order_relaxed);
                return score(replies);
              }
              bool late = error.starts_with("deadline");
              (late ? loop.metrics.redis_deadlines : loop.metrics.redis_errors)
                .fetch_add(1, std::memory_order_relaxed);
              respond({503, error_body(redis_failure(error, deadline_)), "application/json", 1});
            });
}

}  // namespace rtfeat::serve

// The model's Redis reads (see predict_plan.hpp).
#include "serve/model/predict_plan.hpp"

#include <hiredis/hiredis.h>

#include "config/key_template.hpp"
#include "runtime/offline/offline_table.hpp"
#include "serve/redis/resp_command.hpp"

namespace rtfeat::serve {

namespace {

/// The read of a length input is the sequence's size, not its content.
redis_value read_of(const model_input& in) { return in.where; }

bool split_key(const std::string& text, model_entity entity, model_read& r, std::string& why) {
  key_template t;
  if (!parse_key_template(text, t, why)) return false;
  std::string_view id_var = entity == model_entity::user ? "user_id" : "item_id";
  bool seen = false;
  for (const auto& p : t.parts()) {
    if (!p.is_var) {
      (seen ? r.suffix : r.prefix) += p.text;
      continue;
    }
    if (p.text != id_var || seen)
      return why = "key '" + text + "' needs ${" + p.text + "}: only the " + std::string(to_string(entity))
                   + "'s id is known to a prediction",
             false;
    seen = true;
  }
  if (!seen) return why = "key '" + text + "' has no ${" + std::string(id_var) + "}", false;
  return true;
}

}  // namespace

int predict_plan::find(model_entity entity, std::string_view key_template, redis_value what) const {
  const auto& list = reads[static_cast<size_t>(entity)];
  for (size_t i = 0; i < list.size(); ++i)
    if (!list[i].offline && list[i].key_template == key_template && list[i].what == what) return static_cast<int>(i);
  return -1;
}

int predict_plan::offline(model_entity entity) const {
  const auto& list = reads[static_cast<size_t>(entity)];
  for (size_t i = 0; i < list.size(); ++i)
    if (list[i].offline) return static_cast<int>(i);
  return -1;
}

bool build_predict_plan(const model_config& model, predict_plan& out, std::string& error) {
  out = predict_plan{};
  auto add_offline = [&](model_entity e) {
    if (out.offline(e) >= 0) return;
    model_read r;
    r.offline = true;
    auto marked = offline_key(e, "\x01");  // the id's place in the key
    auto at = marked.find('\x01');
    r.key_template = marked;
    r.prefix = marked.substr(0, at);
    r.suffix = marked.substr(at + 1);
    out.reads[static_cast<size_t>(e)].push_back(std::move(r));
  };
  for (const auto& in : model.inputs) {
    switch (in.kind) {
      case input_kind::context: break;
      case input_kind::offline: add_offline(in.entity); break;
      case input_kind::feature: case input_kind::length: {
        if (in.index.from == input_index::from_kind::offline) add_offline(in.index.entity);
        if (out.find(in.entity, in.key, read_of(in)) >= 0) break;
        model_read r;
        r.key_template = in.key;
        r.what = read_of(in);
        std::string why;
        if (!split_key(in.key, in.entity, r, why))
          return error = model.path + ":" + std::to_string(in.line) + ": input '" + in.name + "': " + why, false;
        out.reads[static_cast<size_t>(in.entity)].push_back(std::move(r));
        break;
      }
    }
  }
  return true;
}

void append_model_read(std::string& commands, const model_read& r, std::string_view id) {
  thread_local std::string key;
  key.clear();
  key.append(r.prefix).append(id).append(r.suffix);
  switch (r.what) {
    case redis_value::hash_field: return append_command(commands, "HGETALL", key);
    case redis_value::string: return append_command(commands, "GET", key);
    case redis_value::hyperloglog: return append_command(commands, "PFCOUNT", key);
    case redis_value::list: return append_command(commands, "LLEN", key);
    case redis_value::zset: return append_command(commands, "ZCARD", key);
  }
}

std::optional<std::string_view> reply_field(const redisReply* r, std::string_view field) {
  if (r == nullptr || r->type != REDIS_REPLY_ARRAY) return std::nullopt;
  for (size_t i = 0; i + 1 < r->elements; i += 2) {
    const auto* k = r->element[i];
    if (k->type == REDIS_REPLY_STRING && std::string_view(k->str, k->len) == field) {
      const auto* v = r->element[i + 1];
      if (v->type == REDIS_REPLY_STRING) return std::string_view(v->str, v->len);
    }
  }
  return std::nullopt;
}

}  // namespace rtfeat::serve

// What POST /v1/predict reads from Redis for a model (model.toml): per entity
// (the user, each candidate item) the keys its inputs need, each with the one
// command that reads them (HGETALL, GET, LLEN, ZCARD, PFCOUNT), plus the
// entity's offline hash. Built once at start; a request renders it per id.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/model_config.hpp"

struct redisReply;

namespace rtfeat::serve {

/// One Redis read of an entity for the model.
struct model_read {
  std::string key_template;  // as in the catalogue ("item:feature:{${item_id}}") or the offline key
  std::string prefix, suffix;  // key = prefix + id + suffix
  redis_value what = redis_value::hash_field;  // hash_field = HGETALL (also the offline row)
  bool offline = false;
};

struct predict_plan {
  /// Reads per entity: [0] user, [1] item.
  std::array<std::vector<model_read>, 2> reads;

  /// Index of the read of `entity` for (`key_template`, `what`), or -1.
  int find(model_entity entity, std::string_view key_template, redis_value what) const;
  /// Index of the offline read of `entity`, or -1.
  int offline(model_entity entity) const;
};

/// False with "model.toml:LINE: ..." when an input's key needs more than the entity's id.
bool build_predict_plan(const model_config& model, predict_plan& out, std::string& error);

/// Appends the command of `r` for entity `id` (RESP).
void append_model_read(std::string& commands, const model_read& r, std::string_view id);

/// A hash field of an HGETALL reply, or nullopt.
std::optional<std::string_view> reply_field(const redisReply* r, std::string_view field);

}  // namespace rtfeat::serve

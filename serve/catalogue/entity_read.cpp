// Commands and JSON rendering for one entity (see entity_read.hpp).
#include "serve/catalogue/entity_read.hpp"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <charconv>

#include "serve/json/json_out.hpp"
#include "serve/redis/resp_command.hpp"

namespace rtfeat::serve {

namespace {

std::string_view text_of(const redisReply* r) {
  return r != nullptr && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS)
           ? std::string_view(r->str, r->len)
           : std::string_view();
}

bool is_array(const redisReply* r) { return r != nullptr && r->type == REDIS_REPLY_ARRAY; }

/// Field `name` of an HGETALL reply, or nullptr.
const redisReply* hash_field(const redisReply* r, std::string_view name) {
  if (!is_array(r)) return nullptr;
  for (size_t i = 0; i + 1 < r->elements; i += 2)
    if (text_of(r->element[i]) == name) return r->element[i + 1];
  return nullptr;
}

/// Appends `v` as `type`; false (nothing appended) when its text does not fit.
bool append_typed(std::string& out, std::string_view v, scalar_type type) {
  switch (type) {
    case scalar_type::integer:
      if (!is_json_integer(v)) return false;
      break;
    case scalar_type::number:
      if (!is_json_number(v)) return false;
      break;
    case scalar_type::text: append_json_string(out, v); return true;
  }
  out.append(v);
  return true;
}

/// Renders one part; false when it has no value.
class part_writer {
public:
  part_writer(std::string& out, render_stats& stats) : out_(out), stats_(stats) {}

  bool write(const value_part& p, const key_reply& k) {
    const redisReply* r = k.reply;
    if (r == nullptr || r->type == REDIS_REPLY_ERROR) return false;
    switch (p.shape) {
      case part_shape::scalar:
        if (r->type == REDIS_REPLY_ARRAY) return scalar(hash_field(r, p.field.prefix), p.type);
        return scalar(r, p.type);  // a string key (GET)
      case part_shape::group: return group(p, r);
      case part_shape::ordered: return ordered(p, r);
      case part_shape::list: return list(p, r);
      case part_shape::timeline: return timeline(r);
      case part_shape::cardinality:
        if (r->type != REDIS_REPLY_INTEGER || r->integer <= 0) return false;
        append_json_int(out_, r->integer);
        return true;
    }
    return false;
  }

private:
  bool scalar(const redisReply* v, scalar_type type) {
    if (v == nullptr || v->type != REDIS_REPLY_STRING) return false;
    if (append_typed(out_, text_of(v), type)) return true;
    ++stats_.bad_values;
    return false;
  }

  bool group(const value_part& p, const redisReply* r) {
    if (!is_array(r)) return false;
    size_t start = out_.size();
    out_ += '{';
    bool any = false;
    for (size_t i = 0; i + 1 < r->elements; i += 2) {
      std::string_view field = text_of(r->element[i]), var;
      if (!p.field.matches(field, var)) continue;
      size_t before = out_.size();
      if (any) out_ += ',';
      append_json_string(out_, p.group_by_field ? field : var);
      out_ += ':';
      if (!append_typed(out_, text_of(r->element[i + 1]), p.type)) {
        ++stats_.bad_values;
        out_.resize(before);
        continue;
      }
      any = true;
    }
    if (!any) return out_.resize(start), false;
    out_ += '}';
    return true;
  }

  bool ordered(const value_part& p, const redisReply* r) {
    if (!is_array(r)) return false;
    thread_local std::vector<std::pair<int64_t, std::string_view>> values;
    values.clear();
    for (size_t i = 0; i + 1 < r->elements; i += 2) {
      std::string_view field = text_of(r->element[i]), var;
      if (!p.field.matches(field, var)) continue;
      int64_t n = 0;
      auto [end, ec] = std::from_chars(var.data(), var.data() + var.size(), n);
      if (ec != std::errc{} || end != var.data() + var.size()) continue;
      values.emplace_back(n, text_of(r->element[i + 1]));
    }
    if (values.empty()) return false;
    std::sort(values.begin(), values.end());
    out_ += '[';
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out_ += ',';
      if (!append_typed(out_, values[i].second, p.type)) ++stats_.bad_values, out_ += "null";
    }
    out_ += ']';
    return true;
  }

  bool list(const value_part& p, const redisReply* r) {
    if (!is_array(r) || r->elements == 0) return false;
    out_ += '[';
    for (size_t i = 0; i < r->elements; ++i) {
      if (i > 0) out_ += ',';
      if (!append_typed(out_, text_of(r->element[i]), p.type)) ++stats_.bad_values, out_ += "null";
    }
    out_ += ']';
    return true;
  }

  bool timeline(const redisReply* r) {
    if (!is_array(r) || r->elements < 2) return false;
    out_ += '[';
    for (size_t i = 0; i + 1 < r->elements; i += 2) {
      if (i > 0) out_ += ',';
      out_ += "{\"member\":";
      append_json_string(out_, text_of(r->element[i]));
      out_ += ",\"ts\":";
      if (!append_typed(out_, text_of(r->element[i + 1]), scalar_type::integer)) ++stats_.bad_values, out_ += "null";
      out_ += '}';
    }
    out_ += ']';
    return true;
  }

  std::string& out_;
  render_stats& stats_;
};

/// The entity's freshness: the largest `_ts` of its hashes, or -1.
int64_t freshness_of(const served_entity& e, const std::vector<key_reply>& keys) {
  int64_t best = -1;
  for (size_t k = 0; k < e.keys.size(); ++k) {
    if (!e.keys[k].freshness || keys[k].reply == nullptr) continue;
    const redisReply* v = keys[k].ts_only ? keys[k].reply : hash_field(keys[k].reply, "_ts");
    auto text = text_of(v);
    int64_t ts = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ts);
    if (ec == std::errc{} && end == text.data() + text.size() && !text.empty()) best = std::max(best, ts);
  }
  return best;
}

}  // namespace

void keys_to_read(const served_entity& e, const feature_mask& wanted, std::vector<uint8_t>& needed,
                  std::vector<key_reply>& out) {
  needed.assign(e.keys.size(), 0);
  out.assign(e.keys.size(), key_reply{});
  for (size_t i = 0; i < e.features.size(); ++i)
    if (wanted[i])
      for (const auto& p : e.features[i].parts) needed[p.key] = 1;
  for (size_t k = 0; k < e.keys.size(); ++k) {
    if (needed[k] != 0 || !e.keys[k].freshness) continue;
    needed[k] = 1;
    out[k].ts_only = true;
  }
}

void render_key(const served_key& k, std::string_view id, std::string& key) {
  key.clear();
  key.append(k.prefix).append(id).append(k.suffix);
}

void append_read_command(std::string& commands, const served_key& k, std::string_view id, bool ts_only) {
  thread_local std::string key;
  key.clear();
  key.append(k.prefix).append(id).append(k.suffix);
  if (ts_only) return append_command(commands, "HGET", key, "_ts");
  switch (k.type) {
    case redis_type::hash: return append_command(commands, "HGETALL", key);
    case redis_type::list: return append_command(commands, "LRANGE", key, "0", "-1");
    case redis_type::zset: return append_command(commands, "ZREVRANGE", key, "0", "-1", "WITHSCORES");
    case redis_type::string: return append_command(commands, "GET", key);
    case redis_type::hyperloglog: return append_command(commands, "PFCOUNT", key);
  }
}

void render_entity_body(const served_entity& e, std::string_view id, const feature_mask& wanted,
                        const std::vector<key_reply>& keys, std::string& out, render_stats& stats,
                        std::vector<uint8_t>& present) {
  present.assign(e.features.size(), 0);
  part_writer parts(out, stats);
  out += "{\"id\":";
  append_json_string(out, id);
  out += ",\"features\":{";
  bool first = true;
  for (size_t i = 0; i < e.features.size(); ++i) {
    if (!wanted[i]) continue;
    ++stats.requested;
    const auto& f = e.features[i];
    size_t start = out.size();
    if (!first) out += ',';
    append_json_string(out, f.name);
    out += ':';
    bool any = false;
    if (f.parts.size() == 1) {
      any = parts.write(f.parts[0], keys[f.parts[0].key]);
    } else {
      out += '{';
      for (const auto& p : f.parts) {
        size_t before = out.size();
        if (any) out += ',';
        append_json_string(out, p.name);
        out += ':';
        if (parts.write(p, keys[p.key])) any = true;
        else out.resize(before);
      }
      out += '}';
    }
    if (!any) {
      out.resize(start);
      ++stats.absent;
      continue;
    }
    present[i] = 1;
    first = false;
  }
  out += "},\"absent\":[";
  first = true;
  for (size_t i = 0; i < e.features.size(); ++i) {
    if (!wanted[i] || present[i] != 0) continue;
    if (!first) out += ',';
    append_json_string(out, e.features[i].name);
    first = false;
  }
  out += "],\"freshness\":";
  stats.freshness_ts = freshness_of(e, keys);
}

void append_freshness(int64_t freshness_ts, int64_t now_ms, std::string& out) {
  if (freshness_ts < 0) {
    out += "null}";
    return;
  }
  out += "{\"event_time_ms\":";
  append_json_int(out, freshness_ts);
  out += ",\"age_ms\":";
  append_json_int(out, std::max<int64_t>(0, now_ms - freshness_ts));
  out += "}}";
}

void render_entity(const served_entity& e, std::string_view id, const feature_mask& wanted,
                   const std::vector<key_reply>& keys, int64_t now_ms, std::string& out, render_stats& stats,
                   std::vector<uint8_t>& present) {
  render_entity_body(e, id, wanted, keys, out, stats, present);
  append_freshness(stats.freshness_ts, now_ms, out);
}

}  // namespace rtfeat::serve

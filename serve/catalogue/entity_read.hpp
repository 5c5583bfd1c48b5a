// Reading one entity's features: which Redis commands fetch them (one per
// key, all pipelined) and how the replies become the entity's JSON object,
// typed from the served catalogue, with its absent features and freshness.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "serve/catalogue/served_catalogue.hpp"

struct redisReply;

namespace rtfeat::serve {

/// Which features of an entity a request wants: one flag per served feature.
using feature_mask = std::vector<uint8_t>;

/// Data of one key for rendering: a reply to the command plan_entity_read chose
/// (from Redis or from the near cache), or nullptr when the key was not read.
struct key_reply {
  const redisReply* reply = nullptr;
  bool ts_only = false;  // the reply is `HGET key _ts`, not the whole hash
};

/// The keys `wanted` needs, and for freshness the entity's `_ts` hashes (read
/// with HGET _ts only when no wanted feature needs the whole hash).
/// `out[k].ts_only` tells which; a key left out has `needed[k] == 0`.
void keys_to_read(const served_entity& e, const feature_mask& wanted, std::vector<uint8_t>& needed,
                  std::vector<key_reply>& out);

/// The Redis key of template `k` for entity `id`, into `key` (reused: no allocation per key).
void render_key(const served_key& k, std::string_view id, std::string& key);

/// Appends to `commands` the one command that reads key `k` of entity `id`
/// (HGETALL, LRANGE 0 -1, ZREVRANGE 0 -1 WITHSCORES, GET, PFCOUNT; HGET _ts).
void append_read_command(std::string& commands, const served_key& k, std::string_view id, bool ts_only);

/// What rendering saw, for metrics.
struct render_stats {
  uint64_t requested = 0;
  uint64_t absent = 0;
  uint64_t bad_values = 0;  // values whose text does not fit their type (counted as absent)
  int64_t freshness_ts = -1;  // the entity's _ts, -1 when unknown
};

/// Appends `{"id":...,"features":{...},"absent":[...],"freshness":` (what depends
/// on the replies alone; the near cache's render memo keeps it) and sets `stats`.
/// `present[i]` receives whether wanted feature i had a value.
void render_entity_body(const served_entity& e, std::string_view id, const feature_mask& wanted,
                        const std::vector<key_reply>& keys, std::string& out, render_stats& stats,
                        std::vector<uint8_t>& present);

/// Appends the rest: the freshness object (its age depends on `now_ms`) and the closing brace.
void append_freshness(int64_t freshness_ts, int64_t now_ms, std::string& out);

/// render_entity_body + append_freshness:
/// `{"id":...,"features":{...},"absent":[...],"freshness":...}`.
/// `present[i]` receives whether wanted feature i had a value (null-rate metrics).
/// REQUIRES: `keys` holds a reply for every key keys_to_read marked needed.
void render_entity(const served_entity& e, std::string_view id, const feature_mask& wanted,
                   const std::vector<key_reply>& keys, int64_t now_ms, std::string& out, render_stats& stats,
                   std::vector<uint8_t>& present);

}  // namespace rtfeat::serve

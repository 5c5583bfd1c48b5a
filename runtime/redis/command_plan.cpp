// Commands for coalesced key updates (see command_plan.hpp). Values are
// absolute (SPEC §3): the same batch sent twice leaves the same Redis state.
#include "runtime/redis/command_plan.hpp"

#include <algorithm>

#include "config/freshness.hpp"
#include "runtime/redis/hll_string.hpp"

namespace rtfeat {

namespace {

/// Builds one command at a time on a command_sink.
struct planner {
  command_sink& out;
  ttl_tracker& ttl;
  int64_t now_ms;
  uint64_t count = 0;
  std::string ttl_text;  // the sink may point into it until end()
  std::string number_text;  // likewise, for LTRIM's start or an HLL string

  planner& begin(const char* cmd, const std::string& key) {
    out.begin(cmd);
    return arg(key);
  }
  planner& arg(const std::string& s) { return out.arg(s.data(), s.size()), *this; }
  planner& arg(const char* s) { return out.arg(s, std::char_traits<char>::length(s)), *this; }
  void end() { out.end(), ++count; }
  void single(const char* cmd) { out.begin(cmd), end(); }
};

/// Whole values: the key is deleted and written again, so readers must never
/// see it in between. They go in MULTI/EXEC blocks; everything else does not.
bool is_whole(const key_update& u) {
  switch (u.type) {
    case redis_type::list: return !u.values.empty();
    case redis_type::hyperloglog: return false;  // a SET of the whole HLL is atomic
    case redis_type::hash: case redis_type::zset: return u.replace && !u.set.empty();
    case redis_type::string: return false;
  }
  return false;
}

/// The command that writes `u`'s content (HSET, ZADD, RPUSH, PFADD), if any.
void content(planner& p, const key_update& u) {
  switch (u.type) {
    case redis_type::hash: case redis_type::zset: {
      if (u.set.empty()) return;
      bool zset = u.type == redis_type::zset;
      p.begin(zset ? "ZADD" : "HSET", u.key);
      for (const auto& [f, v] : u.set) zset ? p.arg(v).arg(f) : p.arg(f).arg(v);
      return p.end();
    }
    case redis_type::list: case redis_type::hyperloglog:
      if (u.values.empty()) return;
      p.begin(u.type == redis_type::list ? "RPUSH" : "PFADD", u.key);
      for (const auto& v : u.values) p.arg(v);
      return p.end();
    case redis_type::string: return;
  }
}

/// True when `u` writes a hash's `_ts`, which is never deleted (docs/semantics.md).
bool sets_kept_field(const key_update& u) {
  return u.type == redis_type::hash
         && std::any_of(u.set.begin(), u.set.end(), [](const auto& fv) { return fv.first == freshness_field; });
}

void expire(planner& p, const key_update& u, bool recreated) {
  if (!p.ttl.needs_expire(u.key, u.ttl_s, p.now_ms, recreated, sets_kept_field(u))) return;
  p.ttl_text = std::to_string(u.ttl_s);
  p.begin("EXPIRE", u.key).arg(p.ttl_text).end();
}

void del(planner& p, const key_update& u) {
  p.begin("DEL", u.key).end();
  p.ttl.may_delete(u.key);
}

/// A HyperLogLog rewritten from its registers: SET of Redis's own format (with
/// its TTL), then PFADD of members added since.
void registers(planner& p, const key_update& u) {
  p.begin("SET", u.key).arg(u.registers);
  p.ttl_text = std::to_string(u.ttl_s);
  if (u.ttl_s > 0) p.arg("EX").arg(p.ttl_text);
  p.end();
  p.ttl.needs_expire(u.key, u.ttl_s, p.now_ms, true);  // records the TTL the SET gave
  content(p, u);
}

/// A HyperLogLog rewritten from all its members: one SET of the HLL string with
/// its TTL, atomic on its own (was DEL + PFADD + EXPIRE in MULTI/EXEC).
void whole_hll(planner& p, const key_update& u) {
  p.number_text = redis_hll_of(u.values);
  p.begin("SET", u.key).arg(p.number_text);
  p.ttl_text = std::to_string(u.ttl_s);
  if (u.ttl_s > 0) p.arg("EX").arg(p.ttl_text);
  p.end();
  p.ttl.needs_expire(u.key, u.ttl_s, p.now_ms, true);  // records the TTL the SET gave
}

void plain(planner& p, const key_update& u) {
  switch (u.type) {
    case redis_type::hash: case redis_type::zset:
      if (u.replace) return del(p, u);  // a whole value with nothing in it
      content(p, u);
      if (!u.del.empty()) {
        p.begin(u.type == redis_type::zset ? "ZREM" : "HDEL", u.key);
        for (const auto& f : u.del) p.arg(f);
        p.end();
      }
      if (!u.set.empty()) return expire(p, u, false);
      if (!u.del.empty()) p.ttl.fields_removed(u.key);  // maybe the last fields
      return;
    case redis_type::string:
      if (u.values.empty()) return del(p, u);
      p.begin("SET", u.key).arg(u.values[0]);  // SET replaces the TTL: always with EX
      p.ttl_text = std::to_string(u.ttl_s);
      if (u.ttl_s > 0) p.arg("EX").arg(p.ttl_text);
      return p.end();
    case redis_type::list: case redis_type::hyperloglog:
      if (!u.registers.empty()) return registers(p, u);
      if (u.type == redis_type::hyperloglog && u.replace && !u.values.empty()) return whole_hll(p, u);
      if (u.values.empty()) {
        if (u.type == redis_type::list || u.replace) del(p, u);
        return;
      }
      content(p, u);  // PFADD of new members
      return expire(p, u, false);
  }
}

/// A list replaced in place: RPUSH of the whole new list after whatever the key
/// held, then LTRIM to its last n elements, leaves exactly the new list (an
/// absolute value, whatever was there), and the key is never deleted, so it keeps
/// its TTL: EXPIRE only when ttl_tracker asks. DEL + RPUSH + EXPIRE was three
/// commands per list write, a fifth of all commands.
void overwrite_list(planner& p, const key_update& u) {
  content(p, u);
  p.number_text = "-" + std::to_string(u.values.size());
  p.begin("LTRIM", u.key).arg(p.number_text).arg("-1").end();
  expire(p, u, false);
}

void whole(planner& p, const key_update& u) {
  if (u.type == redis_type::list) return overwrite_list(p, u);
  p.begin("DEL", u.key).end();
  content(p, u);
  expire(p, u, true);
}

}  // namespace

uint64_t plan_commands(std::span<const key_update> updates, ttl_tracker& ttl, int64_t now_ms,
                       command_sink& out) {
  planner p{out, ttl, now_ms, 0, {}, {}};
  // Keys are independent (one update each): plain writes first, whole values
  // after, in shared MULTI/EXEC blocks.
  for (const auto& u : updates)
    if (!is_whole(u)) plain(p, u);
  size_t in_block = 0;
  for (const auto& u : updates) {
    if (!is_whole(u)) continue;
    if (in_block == 0) p.single("MULTI");
    whole(p, u);
    if (++in_block == whole_keys_per_block) p.single("EXEC"), in_block = 0;
  }
  if (in_block > 0) p.single("EXEC");
  return p.count;
}

}  // namespace rtfeat

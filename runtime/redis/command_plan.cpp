// Commands for coalesced key updates (see command_plan.hpp). Values are
// absolute (SPEC §3): the same batch sent twice leaves the same Redis state.
#include "runtime/redis/command_plan.hpp"

namespace rtfeat {

namespace {

/// Builds one command at a time on a command_sink.
struct planner {
  command_sink& out;
  ttl_tracker& ttl;
  int64_t now_ms;
  uint64_t count = 0;
  std::string ttl_text;  // the sink may point into it until end()

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
    case redis_type::hyperloglog: return u.replace && !u.values.empty();
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

void expire(planner& p, const key_update& u, bool recreated) {
  if (!p.ttl.needs_expire(u.key, u.ttl_s, p.now_ms, recreated)) return;
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
      if (!u.del.empty()) p.ttl.may_delete(u.key);  // maybe the last fields
      return;
    case redis_type::string:
      if (u.values.empty()) return del(p, u);
      p.begin("SET", u.key).arg(u.values[0]);  // SET replaces the TTL: always with EX
      p.ttl_text = std::to_string(u.ttl_s);
      if (u.ttl_s > 0) p.arg("EX").arg(p.ttl_text);
      return p.end();
    case redis_type::list: case redis_type::hyperloglog:
      if (!u.registers.empty()) return registers(p, u);
      if (u.values.empty()) {
        if (u.type == redis_type::list || u.replace) del(p, u);
        return;
      }
      content(p, u);  // PFADD of new members
      return expire(p, u, false);
  }
}

void whole(planner& p, const key_update& u) {
  p.begin("DEL", u.key).end();
  content(p, u);
  expire(p, u, true);
}

}  // namespace

uint64_t plan_commands(const std::vector<key_update>& updates, ttl_tracker& ttl, int64_t now_ms,
                       command_sink& out) {
  planner p{out, ttl, now_ms, 0, {}};
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

// hiredis adapter for the sink (see redis_writer.hpp). Whole-value types (list,
// a rewritten HyperLogLog) are replaced inside MULTI/EXEC so a reader never
// sees them half written.
#include "runtime/redis/redis_writer.hpp"

#include <hiredis/hiredis.h>

namespace rtfeat {

namespace {

redisContext* ctx_of(void* p) { return static_cast<redisContext*>(p); }

/// Builds argv for one command at a time and appends it to the pipeline.
struct pipeline {
  redisContext* c;
  std::vector<const char*>& argv;
  std::vector<size_t>& len;
  uint64_t appended = 0;

  pipeline& begin(const char* cmd, const std::string& key) {
    argv.clear(), len.clear();
    return arg(cmd).arg(key);
  }
  pipeline& arg(const char* s) { return argv.push_back(s), len.push_back(std::char_traits<char>::length(s)), *this; }
  pipeline& arg(const std::string& s) { return argv.push_back(s.data()), len.push_back(s.size()), *this; }
  void send() {
    redisAppendCommandArgv(c, static_cast<int>(argv.size()), argv.data(), len.data());
    ++appended;
  }
  void single(const char* cmd) {
    argv.assign(1, cmd), len.assign(1, std::char_traits<char>::length(cmd));
    send();
  }
};

void append_expire(pipeline& p, const key_update& u, const std::string& ttl) {
  if (u.ttl_s > 0) p.begin("EXPIRE", u.key).arg(ttl).send();
}

void append_update(pipeline& p, const key_update& u, const std::string& ttl) {
  switch (u.type) {
    case redis_type::hash: case redis_type::zset: {
      bool zset = u.type == redis_type::zset;
      if (u.replace) p.single("MULTI"), p.begin("DEL", u.key).send();
      if (!u.set.empty()) {
        p.begin(zset ? "ZADD" : "HSET", u.key);
        for (const auto& [f, v] : u.set) zset ? p.arg(v).arg(f) : p.arg(f).arg(v);
        p.send();
      }
      if (!u.del.empty()) {
        p.begin(zset ? "ZREM" : "HDEL", u.key);
        for (const auto& f : u.del) p.arg(f);
        p.send();
      }
      if (!u.set.empty()) append_expire(p, u, ttl);
      if (u.replace) p.single("EXEC");
      return;
    }
    case redis_type::string:
      if (u.values.empty()) return p.begin("DEL", u.key).send();
      p.begin("SET", u.key).arg(u.values[0]);
      if (u.ttl_s > 0) p.arg("EX").arg(ttl);
      return p.send();
    case redis_type::list: case redis_type::hyperloglog: {
      bool whole = u.type == redis_type::list || u.replace;
      if (whole) p.single("MULTI"), p.begin("DEL", u.key).send();
      if (!u.values.empty()) {
        p.begin(u.type == redis_type::list ? "RPUSH" : "PFADD", u.key);
        for (const auto& v : u.values) p.arg(v);
        p.send();
        append_expire(p, u, ttl);
      }
      if (whole) p.single("EXEC");
      return;
    }
  }
}

bool is_error(const redisReply* r) {
  if (r->type == REDIS_REPLY_ERROR) return true;
  if (r->type == REDIS_REPLY_ARRAY)
    for (size_t i = 0; i < r->elements; ++i)
      if (is_error(r->element[i])) return true;
  return false;
}

}  // namespace

redis_writer::~redis_writer() { redisFree(ctx_of(ctx_)); }

std::unique_ptr<redis_writer> redis_writer::connect(const std::string& host, int port,
                                                    std::string& error) {
  timeval timeout{2, 0};
  auto* c = redisConnectWithTimeout(host.c_str(), port, timeout);
  if (c == nullptr || c->err != 0) {
    error = "redis " + host + ":" + std::to_string(port) + ": "
            + (c != nullptr ? c->errstr : "cannot allocate context");
    if (c != nullptr) redisFree(c);
    return nullptr;
  }
  timeval io_timeout{30, 0};
  redisSetTimeout(c, io_timeout);
  return std::unique_ptr<redis_writer>(new redis_writer(c));
}

bool redis_writer::write(const std::vector<key_update>& updates, uint64_t& commands,
                         std::string& error) {
  auto* c = ctx_of(ctx_);
  pipeline p{c, argv_, argvlen_};
  std::string ttl;
  for (const auto& u : updates) {
    ttl = std::to_string(u.ttl_s);  // argv points into it until the command is appended
    append_update(p, u, ttl);
  }
  bool ok = true;
  for (uint64_t i = 0; i < p.appended; ++i) {
    void* raw = nullptr;
    if (redisGetReply(c, &raw) != REDIS_OK) {
      error = std::string("redis: ") + c->errstr;
      return false;
    }
    auto* reply = static_cast<redisReply*>(raw);
    if (ok && is_error(reply)) {
      error = "redis error reply: " + std::string(reply->type == REDIS_REPLY_ERROR ? reply->str : "in EXEC");
      ok = false;
    }
    freeReplyObject(reply);
  }
  commands += p.appended;
  return ok;
}

}  // namespace rtfeat

// hiredis adapter for the sink (see redis_writer.hpp).
#include "runtime/redis/redis_writer.hpp"

#include <hiredis/hiredis.h>

namespace rtfeat {

namespace {

redisContext* ctx_of(void* p) { return static_cast<redisContext*>(p); }

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
  uint64_t appended = 0;
  auto append = [&] {
    redisAppendCommandArgv(c, static_cast<int>(argv_.size()), argv_.data(), argvlen_.data());
    ++appended;
  };
  auto arg = [&](const std::string& s) {
    argv_.push_back(s.data());
    argvlen_.push_back(s.size());
  };
  static const std::string hset = "HSET", hdel = "HDEL", expire = "EXPIRE";
  std::vector<std::string> ttls;
  ttls.reserve(updates.size());
  for (const auto& u : updates) {
    if (!u.set.empty()) {
      argv_.clear(), argvlen_.clear();
      arg(hset), arg(u.key);
      for (const auto& [f, v] : u.set) arg(f), arg(v);
      append();
    }
    if (!u.del.empty()) {
      argv_.clear(), argvlen_.clear();
      arg(hdel), arg(u.key);
      for (const auto& f : u.del) arg(f);
      append();
    }
    if (!u.set.empty() && u.ttl_s > 0) {
      ttls.push_back(std::to_string(u.ttl_s));
      argv_.clear(), argvlen_.clear();
      arg(expire), arg(u.key), arg(ttls.back());
      append();
    }
  }
  bool ok = true;
  for (uint64_t i = 0; i < appended; ++i) {
    void* raw = nullptr;
    if (redisGetReply(c, &raw) != REDIS_OK) {
      error = std::string("redis: ") + c->errstr;
      return false;
    }
    auto* reply = static_cast<redisReply*>(raw);
    if (reply->type == REDIS_REPLY_ERROR && ok) {
      error = std::string("redis error reply: ") + reply->str;
      ok = false;
    }
    freeReplyObject(reply);
  }
  commands += appended;
  return ok;
}

}  // namespace rtfeat

// hiredis adapter for the sink (see redis_writer.hpp): the commands of
// command_plan, appended to hiredis's output buffer, and every reply checked.
#include "runtime/redis/redis_writer.hpp"

#include <hiredis/hiredis.h>

#include <chrono>

#include "runtime/redis/command_plan.hpp"

namespace rtfeat {

namespace {

redisContext* ctx_of(void* p) { return static_cast<redisContext*>(p); }

/// Collects one command's argv and appends it to hiredis's pipeline.
class hiredis_sink final : public command_sink {
public:
  hiredis_sink(redisContext* c, std::vector<const char*>& argv, std::vector<size_t>& len)
    : c_(c), argv_(argv), len_(len) {}
  void begin(const char* name) override {
    argv_.assign(1, name);
    len_.assign(1, std::char_traits<char>::length(name));
  }
  void arg(const char* s, size_t n) override { argv_.push_back(s), len_.push_back(n); }
  void end() override { redisAppendCommandArgv(c_, static_cast<int>(argv_.size()), argv_.data(), len_.data()); }

private:
  redisContext* c_;
  std::vector<const char*>& argv_;
  std::vector<size_t>& len_;
};

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
  hiredis_sink sink(ctx_of(ctx_), argv_, argvlen_);
  auto now = std::chrono::steady_clock::now().time_since_epoch();  // immune to clock steps
  auto n = plan_commands(updates, ttl_, std::chrono::duration_cast<std::chrono::milliseconds>(now).count(), sink);
  bool ok = read_replies(n, error);
  commands += n;
  if (!ok) ttl_.clear();  // what Redis holds is unknown now
  return ok;
}

bool redis_writer::read_replies(uint64_t n, std::string& error) {
  auto* c = ctx_of(ctx_);
  bool ok = true;
  for (uint64_t i = 0; i < n; ++i) {
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
  return ok;
}

}  // namespace rtfeat

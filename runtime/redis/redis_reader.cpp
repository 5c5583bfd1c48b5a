// hiredis implementation of redis_reader. SCAN gives keys in batches of about
// 1000; each batch costs two pipelines (TYPE + TTL, then one read by type), so a
// million keys cost about two thousand round trips instead of millions.
// HyperLogLog scratch keys are also pipelined, a few hundred sets at a time.
#include "runtime/redis/redis_reader.hpp"

#include <sys/time.h>
#include <unistd.h>

#include <initializer_list>
#include <memory>
#include <unordered_set>

#include <hiredis/hiredis.h>

namespace rtfeat {

namespace {

struct reply_deleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using reply_ptr = std::unique_ptr<redisReply, reply_deleter>;

std::string reply_text(const redisReply* r) { return std::string(r->str, r->len); }

// Reads the next pipelined reply; null with `error` set when the connection failed.
reply_ptr next_reply(redisContext* ctx, const std::string& where, std::string& error) {
  void* raw = nullptr;
  if (redisGetReply(ctx, &raw) != REDIS_OK || raw == nullptr) {
    error = where + ": " + (ctx->errstr[0] != '\0' ? ctx->errstr : "no reply");
    return nullptr;
  }
  return reply_ptr(static_cast<redisReply*>(raw));
}

bool append(redisContext* ctx, std::initializer_list<std::string_view> args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (auto a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  return redisAppendCommandArgv(ctx, static_cast<int>(argv.size()), argv.data(), lens.data())
         == REDIS_OK;
}

// One SCAN step: fills `keys` and returns the next cursor ("0" when done).
bool scan_step(redisContext* ctx, const std::string& where, std::string& cursor,
               std::vector<std::string>& keys, std::string& error) {
  if (!append(ctx, {"SCAN", cursor, "COUNT", "1000"}))
    return error = where + ": cannot send SCAN", false;
  auto r = next_reply(ctx, where, error);
  if (!r) return false;
  if (r->type == REDIS_REPLY_ERROR) return error = where + ": SCAN: " + reply_text(r.get()), false;
  if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 || r->element[1]->type != REDIS_REPLY_ARRAY)
    return error = where + ": SCAN: unexpected reply", false;
  cursor = reply_text(r->element[0]);
  keys.clear();
  for (size_t i = 0; i < r->element[1]->elements; ++i)
    keys.push_back(reply_text(r->element[1]->element[i]));
  return true;
}

// Queues the read of one key's content by its type; false when none is needed.
bool queue_content(redisContext* ctx, const redis_key_snapshot& s) {
  if (s.type == "hash") return append(ctx, {"HGETALL", s.key});
  if (s.type == "list") return append(ctx, {"LRANGE", s.key, "0", "-1"});
  if (s.type == "zset") return append(ctx, {"ZRANGE", s.key, "0", "-1", "WITHSCORES"});
  if (s.type == "string") return append(ctx, {"GET", s.key});
  return false;
}

// Stores one content reply; an empty aggregate or a nil means the key vanished.
void take_content(const redisReply* r, redis_key_snapshot& s) {
  if (r->type == REDIS_REPLY_ERROR) {
    s.type = "changed";  // WRONGTYPE: rewritten with another type since TYPE
  } else if (r->type == REDIS_REPLY_NIL || (r->type == REDIS_REPLY_ARRAY && r->elements == 0)) {
    s.type = "none";
  } else if (s.type == "string") {
    s.value = reply_text(r);
  } else if (s.type == "list") {
    for (size_t i = 0; i < r->elements; ++i) s.items.push_back(reply_text(r->element[i]));
  } else {
    for (size_t i = 0; i + 1 < r->elements; i += 2)
      s.fields.emplace_back(reply_text(r->element[i]), reply_text(r->element[i + 1]));
  }
}

}  // namespace

redis_reader::~redis_reader() {
  if (ctx_ != nullptr) redisFree(ctx_);
}

bool redis_reader::connect(const std::string& host, int port, int timeout_ms, std::string& error,
                           const redis_credentials& cred) {
  where_ = "redis " + host + ":" + std::to_string(port);
  refused_ = false;
  if (ctx_ != nullptr) redisFree(ctx_);
  timeval tv{timeout_ms / 1000, static_cast<suseconds_t>(timeout_ms % 1000) * 1000};
  ctx_ = redisConnectWithTimeout(host.c_str(), port, tv);
  if (ctx_ == nullptr) return error = where_ + ": cannot allocate a connection", false;
  if (ctx_->err != 0) {
    error = where_ + ": " + ctx_->errstr;
    redisFree(ctx_);
    ctx_ = nullptr;
    return false;
  }
  if (redisSetTimeout(ctx_, tv) != REDIS_OK) return error = where_ + ": cannot set timeout", false;
  if (!redis_authenticate(ctx_, cred, error)) {
    refused_ = ctx_->err == 0;  // Redis replied: the credentials, not the connection
    return error = where_ + ": " + error, false;
  }
  // A PING now: a server that wants a password we lack says so before any long work.
  if (auto why = redis_ping_error(ctx_, cred, refused_); !why.empty()) return error = where_ + ": " + why, false;
  return true;
}

bool redis_reader::scan_all(std::vector<redis_key_snapshot>& out, std::string& error,
                            const std::function<void(uint64_t)>& progress) {
  if (ctx_ == nullptr) return error = "redis: not connected", false;
  out.clear();
  std::unordered_set<std::string> seen;  // SCAN may return a key more than once
  std::string cursor = "0";
  std::vector<std::string> keys;
  std::vector<std::string> fresh;
  do {
    if (!scan_step(ctx_, where_, cursor, keys, error)) return false;
    fresh.clear();
    for (auto& k : keys)
      if (seen.insert(k).second) fresh.push_back(std::move(k));
    if (!fresh.empty() && !read_batch(fresh, out, error)) return false;
    if (progress) progress(out.size());
  } while (cursor != "0");
  return true;
}

bool redis_reader::read_batch(const std::vector<std::string>& keys,
                              std::vector<redis_key_snapshot>& out, std::string& error) {
  for (const auto& k : keys)
    if (!append(ctx_, {"TYPE", k}) || !append(ctx_, {"TTL", k}))
      return error = where_ + ": cannot queue commands", false;
  const size_t base = out.size();
  for (const auto& k : keys) {
    auto type = next_reply(ctx_, where_, error);
    auto ttl = next_reply(ctx_, where_, error);
    if (!type || !ttl) return false;
    if (type->type != REDIS_REPLY_STATUS || ttl->type != REDIS_REPLY_INTEGER)
      return error = where_ + ": unexpected TYPE/TTL reply for key '" + k + "'", false;
    redis_key_snapshot snap;
    snap.key = k;
    snap.type = reply_text(type.get());
    snap.ttl_s = ttl->integer;
    out.push_back(std::move(snap));
  }
  return read_contents(out.data() + base, keys.size(), error);
}

bool redis_reader::read_contents(redis_key_snapshot* first, size_t n, std::string& error) {
  std::vector<redis_key_snapshot*> queued;
  for (size_t i = 0; i < n; ++i)
    if (queue_content(ctx_, first[i])) queued.push_back(first + i);
  for (auto* s : queued) {
    auto r = next_reply(ctx_, where_, error);
    if (!r) return false;
    take_content(r.get(), *s);
  }
  return true;
}

bool redis_reader::hyperloglog_bytes(const std::vector<const std::set<std::string>*>& sets,
                                     std::vector<std::string>& out, std::string& error) {
  if (ctx_ == nullptr) return error = "redis: not connected", false;
  constexpr size_t max_sets = 256;
  constexpr size_t max_members = 100'000;
  size_t begin = 0;
  while (begin < sets.size()) {
    size_t end = begin;
    size_t members = 0;
    while (end < sets.size() && end - begin < max_sets && (end == begin || members < max_members))
      members += sets[end++]->size();
    if (!scratch_batch(sets.data() + begin, end - begin, out, error)) return false;
    begin = end;
  }
  return true;
}

bool redis_reader::scratch_batch(const std::set<std::string>* const* sets, size_t n,
                                 std::vector<std::string>& out, std::string& error) {
  constexpr size_t chunk = 1000;  // members per PFADD
  std::vector<size_t> replies;    // per set: replies before its GET's
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (size_t i = 0; i < n; ++i) {
    std::string key = std::string(redis_scratch_prefix) + (scratch_tag_.empty() ? "" : "{" + scratch_tag_ + "}:")
                      + std::to_string(::getpid()) + ":" + std::to_string(scratch_serial_++);
    bool ok = append(ctx_, {"DEL", key}) && append(ctx_, {"PFADD", key})
              && append(ctx_, {"EXPIRE", key, "60"});
    size_t before = 3;
    for (auto it = sets[i]->begin(); ok && it != sets[i]->end(); ++before) {
      argv.assign({"PFADD", key.c_str()});
      lens.assign({5, key.size()});
      for (size_t m = 0; m < chunk && it != sets[i]->end(); ++m, ++it) {
        argv.push_back(it->data());
        lens.push_back(it->size());
      }
      ok = redisAppendCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(), lens.data())
           == REDIS_OK;
    }
    if (!ok || !append(ctx_, {"GET", key}) || !append(ctx_, {"DEL", key}))
      return error = where_ + ": cannot queue scratch HyperLogLog commands", false;
    replies.push_back(before);
  }
  for (size_t before : replies) {
    for (size_t r = 0; r < before + 2; ++r) {
      auto reply = next_reply(ctx_, where_, error);
      if (!reply) return false;
      if (reply->type == REDIS_REPLY_ERROR)
        return error = where_ + ": scratch HyperLogLog: " + reply_text(reply.get()), false;
      if (r == before)
        out.push_back(reply->type == REDIS_REPLY_STRING ? reply_text(reply.get()) : "");
    }
  }
  return true;
}

}  // namespace rtfeat

// hiredis implementation of redis_reader. SCAN gives keys in batches of about
// 1000; each batch's TTL/HGETALL go out in one pipeline, so a million keys cost
// about a thousand round trips instead of two million. TYPE is only asked for
// keys that are not hashes (HGETALL answers WRONGTYPE), which the oracle never expects.
#include "runtime/redis/redis_reader.hpp"

#include <sys/time.h>

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

bool append(redisContext* ctx, const char* cmd, const std::string& key) {
  const char* argv[2] = {cmd, key.data()};
  size_t lens[2] = {std::char_traits<char>::length(cmd), key.size()};
  return redisAppendCommandArgv(ctx, 2, argv, lens) == REDIS_OK;
}

// One SCAN step: fills `keys` and returns the next cursor ("0" when done).
bool scan_step(redisContext* ctx, const std::string& where, std::string& cursor,
               std::vector<std::string>& keys, std::string& error) {
  const char* argv[4] = {"SCAN", cursor.c_str(), "COUNT", "1000"};
  size_t lens[4] = {4, cursor.size(), 5, 4};
  if (redisAppendCommandArgv(ctx, 4, argv, lens) != REDIS_OK)
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

}  // namespace

redis_reader::~redis_reader() {
  if (ctx_ != nullptr) redisFree(ctx_);
}

bool redis_reader::connect(const std::string& host, int port, int timeout_ms, std::string& error) {
  where_ = "redis " + host + ":" + std::to_string(port);
  if (ctx_ != nullptr) redisFree(ctx_);
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  ctx_ = redisConnectWithTimeout(host.c_str(), port, tv);
  if (ctx_ == nullptr) return error = where_ + ": cannot allocate a connection", false;
  if (ctx_->err != 0) {
    error = where_ + ": " + ctx_->errstr;
    redisFree(ctx_);
    ctx_ = nullptr;
    return false;
  }
  if (redisSetTimeout(ctx_, tv) != REDIS_OK) return error = where_ + ": cannot set timeout", false;
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
    if (!append(ctx_, "TTL", k) || !append(ctx_, "HGETALL", k))
      return error = where_ + ": cannot queue commands", false;
  std::vector<size_t> not_hashes;  // indexes in `out` of keys HGETALL refused
  for (const auto& k : keys) {
    redis_key_snapshot snap;
    snap.key = k;
    auto ttl = next_reply(ctx_, where_, error);
    auto all = next_reply(ctx_, where_, error);
    if (!ttl || !all) return false;
    if (ttl->type != REDIS_REPLY_INTEGER)
      return error = where_ + ": unexpected TTL reply for key '" + k + "'", false;
    snap.ttl_s = ttl->integer;
    if (all->type == REDIS_REPLY_ARRAY) {
      // A hash always has a field: an empty reply means the key is gone.
      snap.type = all->elements > 0 ? "hash" : "none";
      for (size_t i = 0; i + 1 < all->elements; i += 2)
        snap.fields.emplace_back(reply_text(all->element[i]), reply_text(all->element[i + 1]));
    } else {
      not_hashes.push_back(out.size());  // WRONGTYPE: ask its TYPE below
    }
    out.push_back(std::move(snap));
  }
  return read_types(out, not_hashes, error);
}

bool redis_reader::read_types(std::vector<redis_key_snapshot>& out,
                              const std::vector<size_t>& which, std::string& error) {
  for (auto i : which)
    if (!append(ctx_, "TYPE", out[i].key)) return error = where_ + ": cannot queue TYPE", false;
  for (auto i : which) {
    auto type = next_reply(ctx_, where_, error);
    if (!type) return false;
    if (type->type != REDIS_REPLY_STATUS)
      return error = where_ + ": unexpected TYPE reply for key '" + out[i].key + "'", false;
    out[i].type = reply_text(type.get());
  }
  return true;
}

}  // namespace rtfeat

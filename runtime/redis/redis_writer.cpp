// hiredis adapter for the sink (see redis_writer.hpp): the commands of
// command_plan, encoded as RESP, sent through hiredis, and every reply checked.
#include "runtime/redis/redis_writer.hpp"

#include <hiredis/hiredis.h>

#include "runtime/clock.hpp"
#include "runtime/redis/command_plan.hpp"
#include "runtime/redis/reply_scan.hpp"
#include "runtime/redis/resp_command_sink.hpp"

namespace rtfeat {

namespace {

redisContext* ctx_of(void* p) { return static_cast<redisContext*>(p); }

}  // namespace

redis_writer::redis_writer(void* ctx, bool track_ttl, std::string address)
    : ctx_(ctx), track_ttl_(track_ttl), address_(std::move(address)) {
  // After the handshake (redis_authenticate), which reads redisReply objects.
  scan_replies_into(ctx_of(ctx_)->reader, scan_);
}

redis_writer::~redis_writer() { redisFree(ctx_of(ctx_)); }

std::unique_ptr<redis_writer> redis_writer::connect(const std::string& host, int port, bool track_ttl,
                                                    const redis_credentials& cred, std::string& error) {
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
  if (!redis_authenticate(c, cred, error)) {
    error = "redis " + host + ":" + std::to_string(port) + ": " + error;
    redisFree(c);
    return nullptr;
  }
  return std::unique_ptr<redis_writer>(new redis_writer(c, track_ttl, host + ":" + std::to_string(port)));
}

write_result redis_writer::write(std::span<const key_update> updates, dataset_marker& marker,
                                 uint64_t& commands, std::string& error) {
  resp_.clear();
  resp_command_sink sink(resp_, args_);
  auto n = plan_commands(updates, ttl_, steady_ms(), sink);  // steady: immune to clock steps
  // Last, so that Redis holding this marker means it holds the commands before it.
  sink.begin("SET");
  sink.arg(marker.key().data(), marker.key().size());
  const auto& value = marker.next();
  sink.arg(value.data(), value.size());
  sink.arg("GET", 3);
  sink.end();
  ++n;
  if (redisAppendFormattedCommand(ctx_of(ctx_), resp_.data(), resp_.size()) != REDIS_OK) {
    error = "redis " + address_ + ": cannot buffer the pipeline";
    ttl_.clear();
    marker.unconfirmed();
    return write_result::failed;
  }
  std::optional<std::string> previous;
  bool ok = read_replies(n, previous, error);
  commands += n;
  if (!ok) {
    ttl_.clear();  // unknown now
    marker.unconfirmed();
    return write_result::failed;
  }
  bool intact = marker.confirm(previous);
  if (!intact || !track_ttl_) ttl_.clear();  // lost keys lost their TTLs; or not ours alone to know
  return intact ? write_result::written : write_result::lost_before;
}

bool redis_writer::read_replies(uint64_t n, std::optional<std::string>& last, std::string& error) {
  auto* c = ctx_of(ctx_);
  bool ok = true;
  for (uint64_t i = 0; i < n; ++i) {
    void* placeholder = nullptr;  // the reply is in scan_ (reply_scan.hpp): nothing to free
    if (redisGetReply(c, &placeholder) != REDIS_OK) {
      error = "redis " + address_ + ": " + c->errstr;
      return false;
    }
    if (ok && scan_.error) {
      const std::string& what = scan_.nested_error ? "in EXEC" : scan_.error_text;
      error = "redis " + address_ + ": error reply: " + what;
      ok = false;
    }
    if (i + 1 == n && scan_.has_string) last.emplace(std::move(scan_.string));
  }
  return ok;
}

}  // namespace rtfeat

// Cluster sender (see cluster_sender.hpp).
#include "runtime/redis/cluster/cluster_sender.hpp"

#include <hiredis/hiredis.h>

#include <chrono>
#include <thread>

#include "runtime/redis/reply_error.hpp"

namespace rtfeat {

namespace {

redisContext* ctx_of(void* p) { return static_cast<redisContext*>(p); }

const char* failure_text(command_failure f) {
  switch (f) {
    case command_failure::none: return "";
    case command_failure::error_reply: return "error reply";
    case command_failure::too_many_redirects: return "too many MOVED/ASK (the nodes disagree about the slot)";
    case command_failure::too_many_retries: return "still failing after retries";
  }
  return "";
}

}  // namespace

cluster_sender::cluster_sender(std::vector<node_address> seeds, redis_credentials credentials, int timeout_ms,
                               pipeline_limits limits)
  : conns_(std::move(seeds), std::move(credentials), timeout_ms), limits_(limits) {}

void cluster_sender::add_unit(uint16_t slot, size_t begin, uint32_t replies) {
  units_.push_back({.slot = slot, .begin = begin, .end = buf_.size(), .replies = replies});
}

slot_map* cluster_sender::map(std::string& error) {
  if (stale_ && !conns_.refresh(error)) return nullptr;
  stale_ = false;
  return &conns_.map();
}

bool cluster_sender::send(std::string& error) {
  auto* m = map(error);
  bool ok = m != nullptr;
  if (ok) {
    cluster_pipeline p(*m, limits_);
    for (const auto& u : units_) p.add_routed(u.slot);
    ok = run(p, error);
  }
  if (!ok) stale_ = true;
  buf_.clear();
  units_.clear();
  return ok;
}

bool cluster_sender::run(cluster_pipeline& p, std::string& error) {
  last_string_.assign(units_.size(), std::nullopt);
  while (!p.finished()) {
    if (p.backoff_ms() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(p.backoff_ms()));
    const auto round = p.next_round();
    std::vector<redisContext*> ctxs(round.size(), nullptr);
    for (size_t b = 0; b < round.size(); ++b) {
      const auto& batch = round[b];
      std::string why;
      auto* c = conns_.to(batch.node, why);
      if (c == nullptr) {
        for (const auto& planned : batch.commands) p.on_no_reply(planned.id, why);
        error = why;
        continue;
      }
      for (const auto& planned : batch.commands) {
        const auto& u = units_[planned.id];
        if (planned.asking) redisAppendCommand(c, "ASKING");
        redisAppendFormattedCommand(c, buf_.data() + u.begin, u.end - u.begin);
      }
      // Out now, so that every master works on its batch while we read the first.
      int done = 0;
      while (done == 0 && redisBufferWrite(c, &done) == REDIS_OK) {
      }
      ctxs[b] = c;
    }
    for (size_t b = 0; b < round.size(); ++b) {
      if (ctxs[b] != nullptr && !read_batch(p, round[b], ctxs[b], error)) conns_.drop(round[b].node);
    }
  }
  const auto& c = p.counts();
  counts_.moved += c.moved, counts_.ask += c.ask, counts_.retried += c.retried, counts_.failed += c.failed;
  if (p.map_is_stale()) stale_ = true;
  for (size_t id = 0; id < units_.size(); ++id) {
    if (p.status(id) != command_status::failed) continue;
    error = "redis cluster: a write to slot " + std::to_string(units_[id].slot) + " failed ("
            + failure_text(p.failure(id)) + "): " + p.error(id);
    return false;
  }
  return true;
}

bool cluster_sender::read_batch(cluster_pipeline& p, const node_batch& batch, void* ctx, std::string& error) {
  auto* c = ctx_of(ctx);
  for (size_t i = 0; i < batch.commands.size(); ++i) {
    const auto& planned = batch.commands[i];
    const auto& u = units_[planned.id];
    const uint32_t n = u.replies + (planned.asking ? 1 : 0);
    std::string first;
    for (uint32_t k = 0; k < n; ++k) {
      void* raw = nullptr;
      if (redisGetReply(c, &raw) != REDIS_OK) {
        error = "redis " + batch.node.to_string() + ": " + c->errstr;
        for (size_t j = i; j < batch.commands.size(); ++j) p.on_no_reply(batch.commands[j].id, error);
        return false;
      }
      auto* reply = static_cast<redisReply*>(raw);
      const auto* e = first_error_in(reply);
      if (e != nullptr && first.empty()) first.assign(e->str, e->len);
      if (k + 1 == n && reply->type == REDIS_REPLY_STRING) last_string_[planned.id].emplace(reply->str, reply->len);
      freeReplyObject(reply);
    }
    if (first.empty()) {
      p.on_success(planned.id);
    } else {
      last_string_[planned.id].reset();
      p.on_error_reply(planned.id, first);
    }
  }
  return true;
}

}  // namespace rtfeat

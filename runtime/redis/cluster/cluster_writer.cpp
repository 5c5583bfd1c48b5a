// Cluster writer (see cluster_writer.hpp). Every unit is idempotent (absolute
// values; a MULTI block runs whole or not at all), so a unit resent after a
// redirect or a lost reply is harmless, however much of it ran before.
#include "runtime/redis/cluster/cluster_writer.hpp"

#include <hiredis/hiredis.h>

#include <chrono>
#include <span>
#include <thread>

#include "runtime/redis/cluster/key_slot.hpp"
#include "runtime/redis/cluster/slot_tags.hpp"
#include "runtime/redis/command_plan.hpp"
#include "runtime/redis/resp_command_sink.hpp"

namespace rtfeat {

namespace {

redisContext* ctx_of(void* p) { return static_cast<redisContext*>(p); }

/// The first error in a reply (EXEC's array holds the errors of its commands).
const redisReply* first_error(const redisReply* r) {
  if (r->type == REDIS_REPLY_ERROR) return r;
  if (r->type == REDIS_REPLY_ARRAY) {
    for (size_t i = 0; i < r->elements; ++i)
      if (const auto* e = first_error(r->element[i])) return e;
  }
  return nullptr;
}

int64_t steady_now_ms() {
  auto now = std::chrono::steady_clock::now().time_since_epoch();  // immune to clock steps
  return std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
}

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

cluster_writer::cluster_writer(cluster_writer_settings settings)
  : conns_(settings.seeds, settings.credentials, settings.timeout_ms),
    cfg_(std::move(settings)),
    token_(random_marker_token()) {}

write_result cluster_writer::write(std::vector<key_update>& updates, uint64_t& commands, std::string& error) {
  if (stale_ && !conns_.refresh(error)) {
    ttl_.clear();
    return write_result::failed;
  }
  stale_ = false;
  buf_.clear();
  units_.clear();
  resp_command_sink sink(buf_, args_);
  const auto now_ms = steady_now_ms();
  for (const auto& u : updates) {
    auto begin = buf_.size();
    auto n = plan_commands(std::span<const key_update>(&u, 1), ttl_, now_ms, sink);
    if (n > 0) units_.push_back({.slot = key_slot(u.key), .begin = begin, .end = buf_.size(),
                                 .replies = static_cast<uint32_t>(n)});
  }
  cluster_pipeline p(conns_.map(), cfg_.limits);
  for (const auto& u : units_) {
    p.add_routed(u.slot);
    commands += u.replies;
  }
  bool intact = true;
  if (!run(p, error) || !check_markers(commands, intact, error)) {
    ttl_.clear();  // unknown now
    stale_ = true;
    return write_result::failed;
  }
  if (!intact || !cfg_.track_ttl) ttl_.clear();  // lost keys lost their TTLs; or not ours alone to know
  return intact ? write_result::written : write_result::lost_before;
}

bool cluster_writer::run(cluster_pipeline& p, std::string& error) {
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

bool cluster_writer::read_batch(cluster_pipeline& p, const node_batch& batch, void* ctx, std::string& error) {
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
      const auto* e = first_error(reply);
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

dataset_marker& cluster_writer::marker_for(const node_address& master, bool& is_new) {
  // A marker this master still serves keeps its place: a promoted replica serves
  // its master's slots, so it is asked for the same marker and shows what it
  // did not receive; and resharding rarely moves it.
  const auto& map = conns_.map();
  for (auto& [slot, m] : markers_) {
    if (map.master_of(slot) == master) return is_new = false, m;
  }
  // Else the master's highest slot: redis-cli --cluster reshard moves a
  // master's slots lowest first, so this one moves last.
  const auto slot = map.last_slot_of(master).value_or(0);
  is_new = true;
  return markers_.insert_or_assign(slot, dataset_marker::in_slot_of(tag_for_slot(slot), cfg_.writer, token_))
    .first->second;
}

bool cluster_writer::check_markers(uint64_t& commands, bool& intact, std::string& error) {
  std::vector<dataset_marker*> sent;
  bool changed = false;
  buf_.clear();
  units_.clear();
  resp_command_sink sink(buf_, args_);
  for (const auto& master : conns_.map().masters()) {
    bool is_new = false;
    auto& m = marker_for(master, is_new);
    changed = changed || (is_new && marked_);
    const auto begin = buf_.size();
    sink.begin("SET");
    sink.arg(m.key().data(), m.key().size());
    const auto& value = m.next();
    sink.arg(value.data(), value.size());
    sink.arg("GET", 3);
    sink.end();
    units_.push_back({.slot = key_slot(m.key()), .begin = begin, .end = buf_.size(), .replies = 1});
    sent.push_back(&m);
  }
  cluster_pipeline p(conns_.map(), cfg_.limits);
  for (const auto& u : units_) p.add_routed(u.slot);
  commands += units_.size();
  if (!run(p, error)) {
    for (auto* m : sent) m->unconfirmed();
    return false;
  }
  intact = true;
  loss_detail_.clear();
  for (size_t i = 0; i < sent.size(); ++i) {
    const auto& previous = last_string_[i];
    if (sent[i]->confirm(previous ? std::optional<std::string_view>(*previous) : std::nullopt)) continue;
    intact = false;
    loss_detail_ += (loss_detail_.empty() ? "" : "; ") + ("marker " + sent[i]->key() + " missing or older");
  }
  // A master without a marker in its slots (its marker's slot moved away, or a
  // new master) gets a new one, which proves nothing yet about earlier writes:
  // count it as a loss.
  if (changed) {
    intact = false;
    loss_detail_ += (loss_detail_.empty() ? "" : "; ") + std::string("the cluster's masters or slots changed");
  }
  marked_ = true;
  return true;
}

}  // namespace rtfeat

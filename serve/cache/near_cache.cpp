// Near cache (see near_cache.hpp).
#include "serve/cache/near_cache.hpp"

#include <hiredis/hiredis.h>

#include <absl/strings/string_view.h>

namespace rtfeat::serve {

shared_reply share_reply(redisReply* r) {
  return shared_reply(r, [](const redisReply* p) { freeReplyObject(const_cast<redisReply*>(p)); });
}

void near_cache::disable_and_flush() {
  enabled_ = false;
  flush();
}

void near_cache::flush() {
  ++generation_;
  entries_.clear();
  lru_.clear();
  in_flight_.clear();
}

shared_reply near_cache::find(std::string_view key) {
  if (!enabled()) return nullptr;
  auto it = entries_.find(absl::string_view(key.data(), key.size()));
  if (it == entries_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.reply;
}

uint64_t near_cache::reading(const std::string& key) {
  if (!enabled()) return 0;
  ++in_flight_[key].reads;
  return generation_;
}

void near_cache::read_done(const std::string& key, uint64_t ticket, shared_reply reply) {
  if (ticket != generation_ || !enabled()) return;  // flushed or re-enabled since: in_flight_ was reset
  auto f = in_flight_.find(key);
  if (f == in_flight_.end()) return;
  bool invalidated = f->second.invalidated;
  if (--f->second.reads == 0) in_flight_.erase(f);
  if (invalidated) return;
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    it->second.reply = std::move(reply);
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return;
  }
  if (entries_.size() >= max_entries_) {
    entries_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(key);
  entries_.emplace(key, entry{std::move(reply), lru_.begin()});
}

void near_cache::read_abandoned(const std::string& key, uint64_t ticket) {
  if (ticket != generation_) return;
  auto f = in_flight_.find(key);
  if (f != in_flight_.end() && --f->second.reads == 0) in_flight_.erase(f);
}

void near_cache::invalidate(std::string_view key) {
  absl::string_view k(key.data(), key.size());
  if (auto f = in_flight_.find(k); f != in_flight_.end()) f->second.invalidated = true;
  auto it = entries_.find(k);
  if (it == entries_.end()) return;
  ++invalidations_;
  lru_.erase(it->second.lru);
  entries_.erase(it);
}

}  // namespace rtfeat::serve

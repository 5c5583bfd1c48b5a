// Key scanner (see key_scanner.hpp).
#include "runtime/redis/key_scanner.hpp"

#include <hiredis/hiredis.h>

#include <memory>

namespace rtfeat {

namespace {

struct reply_deleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};

}  // namespace

key_scanner::key_scanner(std::vector<node_address> nodes, bool cluster,
                         redis_credentials credentials, int timeout_ms)
    : nodes_(nodes),
      cluster_(cluster),
      conns_(cluster ? std::move(nodes) : std::vector<node_address>{}, std::move(credentials),
             timeout_ms) {}

bool key_scanner::start(std::string& error) {
  node_ = 0, cursor_ = "0";
  masters_.clear();
  if (!cluster_) {
    masters_ = nodes_;
    return true;
  }
  if (!conns_.refresh(error)) return false;
  masters_ = conns_.map().masters();
  return true;
}

bool key_scanner::next(std::vector<std::string>& keys, std::string& error) {
  keys.clear();
  if (done()) return true;
  const auto& node = masters_[node_];
  auto* c = conns_.to(node, error);
  if (c == nullptr) return false;
  auto* raw = redisCommand(c, "SCAN %s COUNT %s", cursor_.c_str(), page_size);
  std::unique_ptr<redisReply, reply_deleter> r(static_cast<redisReply*>(raw));
  auto where = "redis " + node.to_string() + ": SCAN: ";
  if (!r) {
    error = where + c->errstr;
    conns_.drop(node);  // a context is dead after an I/O error
    return false;
  }
  if (r->type == REDIS_REPLY_ERROR) return error = where + std::string(r->str, r->len), false;
  if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 || r->element[1]->type != REDIS_REPLY_ARRAY)
    return error = where + "unexpected reply", false;
  cursor_.assign(r->element[0]->str, r->element[0]->len);
  const auto* page = r->element[1];
  keys.reserve(page->elements);
  for (size_t i = 0; i < page->elements; ++i)
    keys.emplace_back(page->element[i]->str, page->element[i]->len);
  if (cursor_ == "0") ++node_;  // this node's pass is over
  return true;
}

}  // namespace rtfeat

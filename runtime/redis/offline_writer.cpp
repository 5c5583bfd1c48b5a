// hiredis adapter for `rtfeat materialize` (see offline_writer.hpp).
#include "runtime/redis/offline_writer.hpp"

#include <hiredis/hiredis.h>

#include <charconv>

#include "runtime/redis/cluster/key_slot.hpp"
#include "runtime/redis/reply_error.hpp"
#include "runtime/redis/resp_command_sink.hpp"

namespace rtfeat {

namespace {

redisContext* ctx_of(void* p) { return static_cast<redisContext*>(p); }

}  // namespace

offline_writer::~offline_writer() {
  if (ctx_ != nullptr) redisFree(ctx_of(ctx_));
}

std::unique_ptr<offline_writer> offline_writer::connect_cluster(const std::vector<node_address>& seeds,
                                                                const redis_credentials& cred, std::string& error) {
  std::unique_ptr<offline_writer> w(new offline_writer(nullptr));
  w->cluster_ = std::make_unique<cluster_sender>(seeds, cred, 2000);
  if (w->cluster_->map(error) == nullptr) return nullptr;
  return w;
}

void offline_writer::add_to_cluster(std::string_view key,
                                    const std::vector<std::pair<std::string_view, std::string_view>>& fields,
                                    int64_t ttl_s) {
  auto& buf = cluster_->buffer();
  const auto begin = buf.size();
  resp_command_sink sink(buf, args_);
  uint32_t n = 0;
  auto command = [&](std::initializer_list<std::string_view> args) {
    sink.begin(args.begin()->data());
    for (auto it = args.begin() + 1; it != args.end(); ++it) sink.arg(it->data(), it->size());
    sink.end();
    ++n;
  };
  command({"MULTI"});
  command({"DEL", key});
  if (!fields.empty()) {
    sink.begin("HSET");
    sink.arg(key.data(), key.size());
    for (const auto& [f, v] : fields) sink.arg(f.data(), f.size()), sink.arg(v.data(), v.size());
    sink.end();
    ++n;
  }
  char ttl[24];
  if (ttl_s > 0) {
    auto end = std::to_chars(ttl, ttl + sizeof ttl, ttl_s).ptr;
    command({"EXPIRE", key, std::string_view(ttl, static_cast<size_t>(end - ttl))});
  }
  command({"EXEC"});
  cluster_->add_unit(key_slot(key), begin, n);
  pending_ += n;
}

std::unique_ptr<offline_writer> offline_writer::connect(const std::string& host, int port,
                                                        const redis_credentials& cred,
                                                        std::string& error) {
  auto where = "redis " + host + ":" + std::to_string(port) + ": ";
  timeval timeout{2, 0};
  auto* c = redisConnectWithTimeout(host.c_str(), port, timeout);
  if (c == nullptr || c->err != 0) {
    error = where + (c != nullptr ? c->errstr : "cannot allocate context");
    if (c != nullptr) redisFree(c);
    return nullptr;
  }
  std::unique_ptr<offline_writer> w(new offline_writer(c));
  timeval io_timeout{30, 0};
  redisSetTimeout(c, io_timeout);
  bool refused = false;
  if (!redis_authenticate(c, cred, error)) return error = where + error, nullptr;
  if (auto why = redis_ping_error(c, cred, refused); !why.empty())
    return error = where + why, nullptr;
  return w;
}

void offline_writer::append(const std::vector<std::string_view>& args) {
  argv_.clear();
  argv_len_.clear();
  for (auto a : args) {
    argv_.push_back(a.data());
    argv_len_.push_back(a.size());
  }
  redisAppendCommandArgv(ctx_of(ctx_), static_cast<int>(args.size()), argv_.data(),
                         argv_len_.data());
  ++pending_;
}

void offline_writer::add(std::string_view key,
                         const std::vector<std::pair<std::string_view, std::string_view>>& fields,
                         int64_t ttl_s) {
  if (cluster_) return ++rows_, add_to_cluster(key, fields, ttl_s);
  if (rows_++ == 0) append({"MULTI"});
  append({"DEL", key});
  if (!fields.empty()) {
    args_.assign({"HSET", key});
    for (const auto& [f, v] : fields) args_.insert(args_.end(), {f, v});
    append(args_);
  }
  if (ttl_s > 0) {
    char ttl[24];
    auto end = std::to_chars(ttl, ttl + sizeof ttl, ttl_s).ptr;
    append({"EXPIRE", key, std::string_view(ttl, static_cast<size_t>(end - ttl))});
  }
}

bool offline_writer::flush(uint64_t& commands, std::string& error) {
  if (rows_ == 0) return true;
  if (cluster_) {
    commands += pending_;
    rows_ = 0;
    pending_ = 0;
    return cluster_->send(error);
  }
  append({"EXEC"});
  auto* c = ctx_of(ctx_);
  std::string first_error;
  for (uint64_t i = 0; i < pending_; ++i) {
    void* raw = nullptr;
    if (redisGetReply(c, &raw) != REDIS_OK)
      return error = std::string("redis: ") + c->errstr, false;
    auto* reply = static_cast<redisReply*>(raw);
    if (const auto* e = first_error_in(reply); e != nullptr && first_error.empty()) first_error.assign(e->str, e->len);
    freeReplyObject(reply);
  }
  commands += pending_;
  rows_ = 0;
  pending_ = 0;
  if (first_error.empty()) return true;
  error = "redis error reply: " + first_error;
  return false;
}

}  // namespace rtfeat

// Batches routed across a Redis Cluster (see cluster_request.hpp). The redirect
// rules are runtime/redis/cluster's cluster_pipeline; this file moves its
// rounds over the loop's asynchronous connections and owns the replies.
#include "serve/redis/cluster_request.hpp"

#include <hiredis/hiredis.h>

#include <memory>
#include <vector>

#include "runtime/redis/cluster/cluster_pipeline.hpp"
#include "serve/redis/resp_command.hpp"
#include "serve/redis/resp_split.hpp"

namespace rtfeat::serve {

namespace {

// The deadline (serve.deadline_ms, tens of ms) is the real bound: back-offs
// stay short so that a TRYAGAIN during a migration costs milliseconds.
constexpr pipeline_limits serve_limits{.max_redirects = 5, .max_retries = 64, .first_backoff_ms = 2,
                                       .max_backoff_ms = 20};

class cluster_request : public std::enable_shared_from_this<cluster_request> {
public:
  cluster_request(cluster_nodes& nodes, slot_map& map, std::string_view commands,
                  steady_clock::time_point deadline, batch_completion done)
    : nodes_(nodes), plan_(map, serve_limits), text_(commands), deadline_(deadline), done_(std::move(done)) {}

  ~cluster_request() {
    for (auto* r : replies_)
      if (r != nullptr) freeReplyObject(r);
  }
  cluster_request(const cluster_request&) = delete;
  cluster_request& operator=(const cluster_request&) = delete;

  /// False when the text is not the `count` commands it should be (a bug in a builder).
  bool plan(size_t count) {
    if (!split_commands(text_, commands_) || commands_.size() != count) return false;
    // The pipeline plans by key alone: the RESP text stays here, in commands_.
    for (const auto& c : commands_) plan_.add({.args = {std::string(c.key)}, .key_index = 0});
    replies_.assign(count, nullptr);
    return true;
  }

  void send_round() {
    auto round = plan_.next_round();
    outstanding_ = round.size();
    for (auto& batch : round) {
      std::string out;
      size_t n = 0;
      for (const auto& planned : batch.commands) {
        if (planned.asking) append_command(out, "ASKING"), ++n;
        const auto& c = commands_[planned.id];
        out.append(text_, c.offset, c.length);
        ++n;
      }
      auto& connection = nodes_.to(batch.node);
      connection.execute(out, n, deadline_,
                         [self = shared_from_this(), batch](reply_span replies, std::string_view error) {
                           self->on_batch(batch, replies, error);
                         });
    }
  }

  /// Hands the replies (or `error`) to the caller, once.
  void finish(const std::string& error) {
    if (!done_) return;
    nodes_.count(plan_.counts());
    auto done = std::move(done_);
    done_ = nullptr;
    if (!error.empty()) return done({}, error);
    done(reply_span(replies_.data(), replies_.size()), {});
  }

private:
  void on_batch(const node_batch& batch, reply_span replies, std::string_view error) {
    auto node = batch.node.to_string();
    if (!error.empty()) {
      for (const auto& planned : batch.commands) plan_.on_no_reply(planned.id, error);
      last_error_ = error.starts_with("deadline") ? "deadline: " + node + " did not answer"
                                                  : node + ": " + std::string(error);
    } else {
      size_t i = 0;
      for (const auto& planned : batch.commands) {
        if (planned.asking) ++i;  // +OK; a refused ASKING shows in the command's own reply
        redisReply*& r = replies[i++];
        if (r->type != REDIS_REPLY_ERROR) {
          take(planned.id, r);
          plan_.on_success(planned.id);
          continue;
        }
        std::string_view text(r->str, r->len);
        // An error that is not about routing (WRONGTYPE...) is the key's
        // answer, as on a single Redis: rendering counts it absent.
        if (classify_error(text, batch.node.host).kind == cluster_reply_kind::other) take(planned.id, r);
        else last_error_ = node + ": " + std::string(text);
        plan_.on_error_reply(planned.id, text);
      }
    }
    if (--outstanding_ == 0) advance();
  }

  void take(size_t id, redisReply*& r) {
    if (replies_[id] != nullptr) freeReplyObject(replies_[id]);
    replies_[id] = r;
    r = nullptr;  // the connection frees what is left in the span
  }

  void advance() {
    if (nodes_.stopped()) return finish("stopped");
    if (plan_.map_is_stale() && !refresh_asked_) {
      refresh_asked_ = true;
      nodes_.refresh();
    }
    if (plan_.finished()) {
      for (size_t id = 0; id < commands_.size(); ++id) {
        auto why = plan_.failure(id);
        if (why == command_failure::too_many_redirects || why == command_failure::too_many_retries)
          return finish(last_error_.empty() ? plan_.error(id) : last_error_);
      }
      return finish({});
    }
    auto now = steady_clock::now();
    if (now >= deadline_) return finish(last_error_.empty() ? std::string("deadline") : last_error_);
    auto wait = std::chrono::milliseconds(plan_.backoff_ms());
    if (wait.count() == 0) return send_round();
    if (!timer_) timer_ = std::make_unique<boost::asio::steady_timer>(nodes_.io());
    timer_->expires_after(std::min<steady_clock::duration>(wait, deadline_ - now));
    timer_->async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec) return;
      if (self->nodes_.stopped()) return self->finish("stopped");
      if (steady_clock::now() >= self->deadline_)
        return self->finish(self->last_error_.empty() ? std::string("deadline") : self->last_error_);
      self->send_round();
    });
  }

  cluster_nodes& nodes_;
  cluster_pipeline plan_;
  std::string text_;
  std::vector<resp_command_span> commands_;  // keys point into text_
  std::vector<redisReply*> replies_;         // by command; owned until finish() hands them on
  steady_clock::time_point deadline_;
  batch_completion done_;
  size_t outstanding_ = 0;  // batches of the current round not yet answered
  bool refresh_asked_ = false;
  std::string last_error_;  // names the node: "127.0.0.1:7001: Connection refused"
  std::unique_ptr<boost::asio::steady_timer> timer_;
};

}  // namespace

void execute_on_cluster(cluster_nodes& nodes, std::string_view commands, size_t count,
                        steady_clock::time_point deadline, batch_completion done) {
  auto* map = nodes.map();
  if (nodes.stopped()) return done({}, "stopped");
  if (map == nullptr) return done({}, "Redis Cluster " + nodes.not_ready_reason());
  auto request = std::make_shared<cluster_request>(nodes, *map, commands, deadline, std::move(done));
  if (!request->plan(count)) return request->finish("bug: a read batch that is not RESP commands");
  request->send_round();
}

}  // namespace rtfeat::serve

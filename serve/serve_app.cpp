// Loops, routing and lifecycle of `rtfeat serve` (see serve_app.hpp).
#include "serve/serve_app.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include "serve/cache/invalidation_listener.hpp"
#include "serve/json/json_out.hpp"

namespace rtfeat::serve {

namespace asio = boost::asio;

namespace {

/// `/v1/users/u1/features` -> (users, "u1"); false when the path is not of that form.
bool entity_path(std::string_view path, entity_type& type, std::string_view& id) {
  constexpr std::string_view prefix = "/v1/", suffix = "/features";
  if (!path.starts_with(prefix) || !path.ends_with(suffix) || path.size() <= prefix.size() + suffix.size())
    return false;
  auto middle = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  auto slash = middle.find('/');
  if (slash == std::string_view::npos) return false;
  for (size_t t = 0; t < entity_type_count; ++t)
    if (middle.substr(0, slash) == plural(static_cast<entity_type>(t))) {
      type = static_cast<entity_type>(t);
      id = middle.substr(slash + 1);
      return true;
    }
  return false;
}

route route_of(std::string_view path) {
  if (path == "/healthz") return route::healthz;
  if (path == "/readyz") return route::readyz;
  if (path == "/metrics") return route::metrics;
  if (path == "/v1/features") return route::batch;
  if (path == "/v1/predict") return route::predict;
  entity_type type{};
  std::string_view id;
  if (entity_path(path, type, id)) {
    switch (type) {
      case entity_type::user: return route::users;
      case entity_type::item: return route::items;
      case entity_type::category: return route::categories;
    }
  }
  return route::other;
}

}  // namespace

serve_app::serve_app(job_config config, served_catalogue catalogue, std::unique_ptr<loaded_model> model)
  : config_(std::move(config)), catalogue_(std::move(catalogue)),
    features_(catalogue_, {static_cast<size_t>(config_.serve_max_batch),
                           std::chrono::milliseconds(config_.serve_deadline_ms)}),
    model_(std::move(model)) {
  if (model_) {
    predict_ = std::make_unique<predict_api>(model_->config, *model_->booster, model_->plan,
                                             static_cast<size_t>(config_.serve_max_batch),
                                             std::chrono::milliseconds(config_.serve_deadline_ms));
    process_.model_loaded = 1;
  }
}

serve_app::~serve_app() { stop(); }

namespace {

void observe_round_trip(loop_metrics& metrics, steady_clock::duration d) {
  metrics.redis_round_trip_us.observe(
    static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(d).count()));
}

}  // namespace

void serve_app::start_redis(serve_loop& loop, const redis_credentials& credentials) {
  redis_connection_options o;
  o.host = config_.redis_host;
  o.port = static_cast<int>(config_.redis_port);
  o.credentials = credentials;
  o.name = "redis (loop " + std::to_string(loop.index) + ")";
  loop.redis = std::make_unique<redis_connection>(loop.io, o);
  auto* metrics = &loop.metrics;
  loop.redis->on_round_trip([metrics](steady_clock::duration d) { observe_round_trip(*metrics, d); });
  if (config_.serve_cache_max_entries > 0) {
    auto per_loop = std::max<int64_t>(1, config_.serve_cache_max_entries / config_.serve_threads);
    loop.cache = std::make_unique<near_cache>(static_cast<size_t>(per_loop));
    // An entity renders from a few keys: a quarter of the cache's entries covers what it holds.
    loop.memo = std::make_unique<render_memo>(static_cast<size_t>(std::max<int64_t>(1, per_loop / 4)));
  }
  auto* l = &loop;
  loop.redis->start(
    {},
    [this, l] {
      process_.redis_up.fetch_add(1);
      if (l->cache) tracking_connection_up(*l);
    },
    [this, l] {
      process_.redis_up.fetch_sub(1);
      if (l->cache) tracking_connection_down(*l);
    });
}

void serve_app::start_cluster(serve_loop& loop, const redis_credentials& credentials) {
  cluster_nodes_options o;
  o.seeds = parse_seeds(config_.redis_nodes);
  o.credentials = credentials;
  o.name = "redis cluster (loop " + std::to_string(loop.index) + ")";
  auto* metrics = &loop.metrics;
  o.round_trip = [metrics](steady_clock::duration d) { observe_round_trip(*metrics, d); };
  o.redirects = [metrics](const pipeline_counts& c) {
    metrics->cluster_moved.fetch_add(c.moved, std::memory_order_relaxed);
    metrics->cluster_ask.fetch_add(c.ask, std::memory_order_relaxed);
    metrics->cluster_retries.fetch_add(c.retried, std::memory_order_relaxed);
  };
  loop.cluster = std::make_unique<cluster_nodes>(loop.io, o);
  // Up = the slot map is read and every master of it is connected.
  loop.cluster->start([this](bool up) {
    if (up) process_.redis_up.fetch_add(1);
    else process_.redis_up.fetch_sub(1);
  });
}

bool serve_app::start(std::string& error) {
  auto credentials = redis_credentials_from_env(config_.redis_username);
  std::vector<asio::io_context*> ios;
  for (int64_t i = 0; i < config_.serve_threads; ++i) {
    auto loop = std::make_unique<serve_loop>(static_cast<size_t>(i), catalogue_);
    if (model_) loop->metrics.set_model_inputs(model_->config.inputs.size());
    if (config_.redis_cluster) start_cluster(*loop, credentials);
    else start_redis(*loop, credentials);
    ios.push_back(&loop->io);
    loops_.push_back(std::move(loop));
  }
  if (config_.redis_cluster && config_.serve_cache_max_entries > 0)
    std::cerr << "serve: near cache off: serve.cache.max_entries is not supported with redis.cluster = true yet "
                 "(every read goes to the slot's master; docs/serving.md)\n";
  if (!config_.redis_cluster && config_.serve_cache_max_entries > 0) {
    std::vector<serve_loop*> all;
    for (auto& l : loops_) all.push_back(l.get());
    redis_connection_options ro;
    ro.host = config_.redis_host;
    ro.port = static_cast<int>(config_.redis_port);
    ro.credentials = credentials;
    invalidations_ = std::make_unique<invalidation_listener>(all, ro);
    for (auto& l : loops_) l->tracking_alive_ms = &invalidations_->alive_ms();
    invalidations_->start();
  }
  http_server_options o;
  o.host = config_.serve_host;
  o.port = static_cast<uint16_t>(config_.serve_port);
  o.max_connections = config_.serve_max_connections;
  o.header_timeout = std::chrono::milliseconds(config_.serve_header_timeout_ms);
  o.idle_timeout = std::chrono::milliseconds(config_.serve_idle_timeout_ms);
  o.max_body_bytes = static_cast<uint64_t>(config_.serve_max_body_bytes);
  server_ = std::make_unique<http_server>(o, ios, *this, process_);
  return server_->listen(error);
}

void serve_app::run() {
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  for (auto& l : loops_) guards.push_back(asio::make_work_guard(l->io));
  asio::signal_set signals(loops_.front()->io, SIGINT, SIGTERM);
  signals.async_wait([this](const boost::system::error_code& ec, int) {
    if (!ec) stop();
  });
  std::vector<std::thread> threads;
  for (size_t i = 1; i < loops_.size(); ++i) threads.emplace_back([l = loops_[i].get()] { l->io.run(); });
  loops_.front()->io.run();
  for (auto& t : threads) t.join();
  guards.clear();
  // Connections and pending handlers go with their loops, on this thread.
  server_.reset();
  invalidations_.reset();
  for (auto& l : loops_) l->redis.reset(), l->cluster.reset();
}

void serve_app::stop() {
  for (auto& l : loops_) l->io.stop();
}

void serve_app::handle(size_t loop_index, const http_request& request, respond_fn respond) {
  auto& loop = *loops_[loop_index];
  auto q = request.target.find('?');
  auto path = request.target.substr(0, q);
  auto query = q == std::string_view::npos ? std::string_view() : request.target.substr(q + 1);
  auto r = route_of(path);
  auto started = steady_clock::now();
  // Every answer is counted by route and status, with its latency.
  respond_fn counted = [&loop, r, started, respond = std::move(respond)](http_response&& res) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(steady_clock::now() - started).count();
    loop.metrics.count_request(r, res.status, static_cast<uint64_t>(us));
    respond(std::move(res));
  };
  dispatch(loop, r, path, query, request, std::move(counted));
}

void serve_app::dispatch(serve_loop& loop, route r, std::string_view path, std::string_view query,
                         const http_request& req, respond_fn respond) {
  auto method_is = [&](std::string_view m) {
    if (req.method == m) return true;
    respond({405, error_body("method " + std::string(req.method) + " not allowed here (" + std::string(m) + ")"),
             "application/json", 0});
    return false;
  };
  switch (r) {
    case route::healthz:
      if (method_is("GET")) respond({200, "{\"status\":\"up\"}", "application/json", 0});
      return;
    case route::readyz:
      if (method_is("GET")) respond(readiness());
      return;
    case route::metrics:
      if (method_is("GET")) respond({200, metrics_text(), "text/plain; version=0.0.4", 0});
      return;
    case route::batch:
      if (method_is("POST")) features_.post_batch(loop, req.body, respond);
      return;
    case route::predict:
      if (!method_is("POST")) return;
      if (!predict_)
        return respond({404, error_body("no model configured: set serve.model to a model.toml"), "application/json", 0});
      predict_->post(loop, req.body, respond);
      return;
    case route::users: case route::items: case route::categories: {
      if (!method_is("GET")) return;
      entity_type type{};
      std::string_view id;
      entity_path(path, type, id);
      features_.get_entity(loop, type, id, query, respond);
      return;
    }
    case route::other:
      respond({404, error_body("no route " + std::string(path)), "application/json", 0});
      return;
  }
}

http_response serve_app::readiness() const {
  int up = process_.redis_up.load();
  if (up == static_cast<int>(loops_.size())) return {200, "{\"status\":\"ready\"}", "application/json", 0};
  std::string why;
  if (config_.redis_cluster) {
    // A loop's reason names the seed or master it waits for.
    for (const auto& l : loops_)
      if (auto r = l->cluster->not_ready_reason(); !r.empty()) {
        why = "Redis Cluster: " + r + " (loop " + std::to_string(l->index) + "; ";
        break;
      }
    if (why.empty()) why = "Redis Cluster not connected (";
    why += std::to_string(up) + " of " + std::to_string(loops_.size()) + " loops ready)";
  } else {
    why = "Redis " + config_.redis_host + ":" + std::to_string(config_.redis_port) + " not connected ("
          + std::to_string(up) + " of " + std::to_string(loops_.size()) + " loops)";
  }
  std::string body = "{\"status\":\"not ready\",\"reasons\":[";
  append_json_string(body, why);
  body += "]}";
  return {503, std::move(body), "application/json", 1};
}

std::string serve_app::metrics_text() const {
  std::vector<const loop_metrics*> loops;
  for (const auto& l : loops_) loops.push_back(&l->metrics);
  std::vector<std::string> inputs;
  if (model_)
    for (const auto& in : model_->config.inputs) inputs.push_back(in.name);
  return serve_metrics_text(catalogue_, loops, process_, inputs);
}

}  // namespace rtfeat::serve

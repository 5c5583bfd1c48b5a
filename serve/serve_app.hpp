// `rtfeat serve` as a whole: N event loops (threads), each with its own Redis
// connection (or its connections to every master of a Redis Cluster), the HTTP server handing connections to them, and the router
// from a request's path to the feature API, health, readiness and metrics.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/job_config.hpp"
#include "serve/api/feature_api.hpp"
#include "serve/api/predict_api.hpp"
#include "serve/cache/invalidation_listener.hpp"
#include "serve/catalogue/served_catalogue.hpp"
#include "serve/http/http_server.hpp"
#include "serve/serve_loop.hpp"

namespace rtfeat::serve {

/// The model of POST /v1/predict, loaded and checked before serving starts.
struct loaded_model {
  model_config config;
  std::unique_ptr<xgboost_model> booster;
  predict_plan plan;
};

class serve_app final : public request_handler {
public:
  /// REQUIRES: `catalogue` built from the config's features.file; `model` may be null.
  serve_app(job_config config, served_catalogue catalogue, std::unique_ptr<loaded_model> model);
  ~serve_app() override;
  serve_app(const serve_app&) = delete;
  serve_app& operator=(const serve_app&) = delete;

  /// Creates the loops and their Redis connections and binds the port;
  /// false with a message (port taken, bad host).
  bool start(std::string& error);
  uint16_t port() const { return server_ ? server_->port() : 0; }
  /// Runs the loops until SIGINT or SIGTERM (or stop()); then closes everything.
  void run();
  /// Thread-safe: makes run() return.
  void stop();

  /// Runs in: loop `loop`.
  void handle(size_t loop, const http_request& request, respond_fn respond) override;

private:
  void dispatch(serve_loop& loop, route r, std::string_view path, std::string_view query, const http_request& req,
                respond_fn respond);
  /// The loop's connection to redis.host:port (and its near cache).
  void start_redis(serve_loop& loop, const redis_credentials& credentials);
  /// The loop's connections to the masters of redis.nodes' cluster.
  void start_cluster(serve_loop& loop, const redis_credentials& credentials);
  http_response readiness() const;
  std::string metrics_text() const;

  job_config config_;
  served_catalogue catalogue_;
  feature_api features_;
  std::unique_ptr<loaded_model> model_;
  std::unique_ptr<predict_api> predict_;
  process_metrics process_;
  std::vector<std::unique_ptr<serve_loop>> loops_;
  std::unique_ptr<http_server> server_;
  std::unique_ptr<invalidation_listener> invalidations_;  // with the near cache only
};

}  // namespace rtfeat::serve

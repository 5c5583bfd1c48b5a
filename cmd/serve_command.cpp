// rtfeat serve: the feature API over Redis (SPEC §6, docs/serving.md).
// Exit codes: 0 = stopped by SIGINT/SIGTERM, 2 = bad config, port taken,
// Redis refusing the credentials, or a model that cannot be loaded.
#include <sys/resource.h>

#include <iostream>
#include <string>
#include <vector>

#include "cmd/commands.hpp"
#include "config/feature_catalogue.hpp"
#include "config/job_config.hpp"
#include "config/model_config.hpp"
#include "runtime/redis/redis_reader.hpp"
#include "serve/catalogue/served_catalogue.hpp"
#include "serve/model/xgboost_model.hpp"
#include "serve/redis/cluster_nodes.hpp"
#include "serve/serve_app.hpp"

namespace rtfeat::cmd {

namespace {

struct serve_options {
  std::string config_path = "config/rtfeat.toml";
  std::vector<std::string> sets;
};

/// One Redis node at start: refused credentials are a config error (false); an
/// unreachable node only warns (serve answers 503 until it is up).
bool check_redis_node(const job_config& cfg, const std::string& host, int port, std::string_view unreachable,
                      bool& reached) {
  redis_reader probe;
  std::string error;
  reached = probe.connect(host, port, 2000, error, redis_credentials_from_env(cfg.redis_username));
  if (reached) return true;
  if (probe.refused()) {
    std::cerr << "serve: " << error << "\n";
    return false;
  }
  std::cerr << "serve: warning: " << error << unreachable << "\n";
  return true;
}

/// Redis (or every seed of the cluster) at start: see check_redis_node.
bool check_redis(const job_config& cfg) {
  bool reached = false;
  if (!cfg.redis_cluster) {
    return check_redis_node(cfg, cfg.redis_host, static_cast<int>(cfg.redis_port),
                            "; answering 503 until Redis is up", reached);
  }
  bool any = false;
  for (const auto& seed : serve::parse_seeds(cfg.redis_nodes)) {
    if (!check_redis_node(cfg, seed.host, seed.port, " (a cluster seed)", reached)) return false;
    any = any || reached;
  }
  if (!any) std::cerr << "serve: warning: no seed of redis.nodes reachable; answering 503 until one is\n";
  return true;
}

/// Each client connection is a file descriptor: take the hard limit, and say
/// when serve.max_connections cannot be reached under it.
void raise_fd_limit(const job_config& cfg) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);
  getrlimit(RLIMIT_NOFILE, &lim);
  auto wanted = static_cast<rlim_t>(cfg.serve_max_connections) + 64;
  if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur < wanted)
    std::cerr << "serve: warning: the open-file limit " << lim.rlim_cur << " is below serve.max_connections + 64 ("
              << wanted << "): raise it (ulimit -n, LimitNOFILE=) or lower serve.max_connections\n";
}

/// serve.model: the model config, its XGBoost model (loaded, checked, warmed
/// up) and its Redis reads. Any failure names the file and the reason.
bool load_model(const job_config& cfg, const feature_catalogue& catalogue, std::unique_ptr<serve::loaded_model>& out) {
  auto m = std::make_unique<serve::loaded_model>();
  std::string error;
  if (!load_model_config(cfg.serve_model, catalogue, m->config, error)) {
    std::cerr << "serve: " << error << "\n";
    return false;
  }
  std::vector<std::string> names;
  for (const auto& in : m->config.inputs) names.push_back(in.name);
  m->booster = xgboost_model::load(m->config.model_file, names, error);
  if (!m->booster) {
    std::cerr << "serve: " << error << "\n";
    return false;
  }
  if (!serve::build_predict_plan(m->config, m->plan, error)) {
    std::cerr << "serve: " << error << "\n";
    return false;
  }
  std::cerr << "serve: model '" << m->config.id << "' (" << m->config.model_file << ", " << names.size()
            << " inputs) loaded for POST /v1/predict\n";
  out = std::move(m);
  return true;
}

int run_serve(const serve_options& opt) {
  job_config cfg;
  std::string error;
  if (!load_job_config(opt.config_path, opt.sets, cfg, error)) {
    std::cerr << "serve: " << error << "\n";
    return 2;
  }
  feature_catalogue catalogue;
  if (!load_feature_catalogue(cfg.features_file, catalogue, error)) {
    std::cerr << "serve: " << error << "\n";
    return 2;
  }
  serve::served_catalogue served;
  if (!serve::build_served_catalogue(catalogue, served, error)) {
    std::cerr << "serve: " << cfg.features_file << ": " << error << "\n";
    return 2;
  }
  for (const auto& why : served.skipped) std::cerr << "serve: not served (" << why << ")\n";
  std::unique_ptr<serve::loaded_model> model;
  if (!cfg.serve_model.empty() && !load_model(cfg, catalogue, model)) return 2;
  if (!check_redis(cfg)) return 2;
  raise_fd_limit(cfg);
  std::string counts;
  for (size_t t = 0; t < serve::entity_type_count; ++t)
    counts += (t > 0 ? ", " : "") + std::string(serve::to_string(static_cast<serve::entity_type>(t))) + " "
              + std::to_string(served.entities[t].features.size());
  serve::serve_app app(cfg, std::move(served), std::move(model));
  if (!app.start(error)) {
    std::cerr << "serve: " << error << "\n";
    return 2;
  }
  std::string redis = cfg.redis_host + ":" + std::to_string(cfg.redis_port);
  if (cfg.redis_cluster) {
    redis = "cluster, seeds";
    for (const auto& n : cfg.redis_nodes) redis += " " + n;
  }
  std::cerr << "serve: listening on http://" << cfg.serve_host << ":" << app.port() << " (" << cfg.serve_threads
            << " loops; features: " << counts << "; redis " << redis << ")\n";
  app.run();
  std::cerr << "serve: stopped\n";
  return 0;
}

}  // namespace

void add_serve(CLI::App& app) {
  auto opt = std::make_shared<serve_options>();
  auto* sub = app.add_subcommand("serve", "HTTP feature API over Redis (typed features, batch, freshness, predict)");
  sub->add_option("--config", opt->config_path, "job config (TOML) with a [serve] section")
    ->capture_default_str();
  sub->add_option("--set", opt->sets, "override a config key: section.key=value (repeatable)");
  sub->callback([opt] { exit_code() = run_serve(*opt); });
}

}  // namespace rtfeat::cmd

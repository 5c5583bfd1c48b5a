// The feature routes: GET /v1/{users,items,categories}/{id}/features and
// POST /v1/features. Each request becomes one pipelined Redis batch on its
// loop's connection; the replies are rendered typed from the catalogue.
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "serve/catalogue/entity_read.hpp"
#include "serve/http/http_server.hpp"
#include "serve/serve_loop.hpp"

namespace rtfeat::serve {

/// One request's entities and their replies (defined in feature_api.cpp).
struct feature_read_job;

struct feature_api_options {
  size_t max_batch = 1000;
  std::chrono::milliseconds deadline{50};
};

class feature_api {
public:
  /// REQUIRES: `catalogue` outlives the api.
  feature_api(const served_catalogue& catalogue, feature_api_options options);

  /// `query` is the text after '?' ("" when none).
  void get_entity(serve_loop& loop, entity_type e, std::string_view id, std::string_view query,
                  const respond_fn& respond) const;
  void post_batch(serve_loop& loop, std::string_view body, const respond_fn& respond) const;

private:
  void run(serve_loop& loop, const std::shared_ptr<feature_read_job>& job, const respond_fn& respond) const;
  /// The masks for `names` (all features when `names` is empty); false with a 400 body.
  bool select(const std::vector<std::string>& names, bool only_named, std::array<feature_mask, entity_type_count>& out,
              std::optional<entity_type> single, std::string& error_body) const;

  const served_catalogue& catalogue_;
  feature_api_options options_;
};

/// A JSON error body: {"error": message}.
std::string error_body(std::string_view message);

/// The reason of a 503 for a failed Redis batch: `error` as the connection (or
/// the cluster routing) gave it, "deadline..." when the deadline passed first.
std::string redis_failure(std::string_view error, std::chrono::milliseconds deadline);

}  // namespace rtfeat::serve

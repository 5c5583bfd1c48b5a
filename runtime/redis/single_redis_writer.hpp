// A sink's writer for one redis-server: a redis_writer, reconnected after any
// failure, and the sink's dataset marker, kept across reconnects.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "runtime/redis/dataset_marker.hpp"
#include "runtime/redis/feature_writer.hpp"
#include "runtime/redis/redis_auth.hpp"
#include "runtime/redis/redis_writer.hpp"

namespace rtfeat {

class single_redis_writer final : public feature_writer {
public:
  /// `writer`: this sink among all sinks on the Redis ("<node>.<sink>").
  single_redis_writer(std::string host, int port, redis_credentials credentials, bool track_ttl,
                      const std::string& writer);
  write_result write(std::span<const key_update> updates, uint64_t& commands,
                     std::string& error) override;
  std::string where() const override { return "redis " + host_ + ":" + std::to_string(port_); }
  std::string loss_detail() const override { return "marker " + marker_.key() + " missing or older"; }

private:
  std::string host_;
  int port_;
  redis_credentials credentials_;
  bool track_ttl_;
  dataset_marker marker_;
  std::unique_ptr<redis_writer> redis_;  // null until connected, and after a failure
};

}  // namespace rtfeat

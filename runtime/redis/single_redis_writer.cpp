// One redis-server (see single_redis_writer.hpp).
#include "runtime/redis/single_redis_writer.hpp"

namespace rtfeat {

single_redis_writer::single_redis_writer(std::string host, int port, redis_credentials credentials, bool track_ttl,
                                         const std::string& writer)
  : host_(std::move(host)),
    port_(port),
    credentials_(std::move(credentials)),
    track_ttl_(track_ttl),
    marker_(writer, random_marker_token()) {}

write_result single_redis_writer::write(std::span<const key_update> updates, uint64_t& commands,
                                        std::string& error) {
  if (!redis_) redis_ = redis_writer::connect(host_, port_, track_ttl_, credentials_, error);
  if (!redis_) return write_result::failed;
  auto result = redis_->write(updates, marker_, commands, error);
  if (result == write_result::failed) redis_.reset();  // hiredis contexts are dead after an I/O error
  return result;
}

}  // namespace rtfeat

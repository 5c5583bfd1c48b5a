// The drill's own Kafka and Redis: `rtfeat mock-kafka` in a child process (not
// when the nodes read the file source) and a redis-server without persistence on
// a free loopback port, both logging into the work dir and both ended with the drill.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "runtime/tools/drill/child_process.hpp"
#include "runtime/tools/drill/loopback_port.hpp"

namespace rtfeat {

class drill_services {
public:
  /// Each starts its service and waits until it serves (10 s at most). `redis_server`
  /// is a path or a name looked up in PATH.
  bool start_redis(const std::string& work_dir, const std::string& redis_server,
                   loopback_ports& ports, std::string& error);
  bool start_kafka(const std::string& work_dir, const std::string& topic, uint32_t partitions,
                   std::string& error);

  const std::string& bootstrap() const { return bootstrap_; }
  uint16_t redis_port() const { return redis_port_; }

  /// Empty while those started run, else which one stopped and how (see its log).
  std::string stopped();

private:
  std::unique_ptr<child_process> redis_;
  std::unique_ptr<child_process> kafka_;
  std::string bootstrap_;
  uint16_t redis_port_ = 0;
};

}  // namespace rtfeat

// Starting the drill's Kafka mock and redis-server (see drill_services.hpp).
#include "runtime/tools/drill/drill_services.hpp"

#include <chrono>
#include <filesystem>
#include <thread>

#include "runtime/tools/drill/drill_run.hpp"
#include "runtime/tools/drill/node_log.hpp"

namespace rtfeat {

namespace {

using steady = std::chrono::steady_clock;

/// Polls `ready` every 20 ms for 10 s while `child` runs.
template <class Ready>
bool wait_ready(child_process& child, Ready ready, const std::string& what, std::string& error) {
  auto until = steady::now() + std::chrono::seconds(10);
  while (!ready()) {
    if (!child.running())
      return error = what + " stopped at start (" + child.status()->describe() + "; see "
                     + child.log_path() + ")",
             false;
    if (drill_stop_requested) return error = "interrupted", false;
    if (steady::now() > until)
      return error = what + " did not start within 10 s (see " + child.log_path() + ")", false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace

bool drill_services::start_redis(const std::string& work_dir, const std::string& redis_server,
                                 loopback_ports& ports, std::string& error) {
  auto binary = find_executable(redis_server);
  if (binary.empty()) return error = "cannot find '" + redis_server + "' in PATH", false;
  auto port = ports.pick();
  if (!port) return error = "no free loopback port for redis-server", false;
  redis_port_ = *port;
  auto dir = work_dir + "/redis";
  std::filesystem::create_directories(dir);
  // No persistence: the drill's Redis lives as long as the drill.
  redis_ =
    child_process::start({binary, "--port", std::to_string(redis_port_), "--bind", "127.0.0.1",
                          "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no"},
                         work_dir + "/redis.log", error);
  if (!redis_) return false;
  return wait_ready(
    *redis_, [&] { return accepts_connections(redis_port_); }, "redis-server", error);
}

bool drill_services::start_kafka(const std::string& work_dir, const std::string& topic,
                                 uint32_t partitions, std::string& error) {
  auto log = work_dir + "/mock-kafka.log";
  kafka_ = child_process::start(
    {self_executable(), "mock-kafka", "--partitions", std::to_string(partitions), "--topic", topic},
    log, error);
  if (!kafka_) return false;
  log_tail tail(log);
  // `rtfeat mock-kafka` prints "bootstrap=HOST:PORT[,...]" once its brokers listen.
  return wait_ready(
    *kafka_,
    [&] {
      for (const auto& line : tail.new_lines())
        if (line.rfind("bootstrap=", 0) == 0) bootstrap_ = line.substr(10);
      return !bootstrap_.empty();
    },
    "mock-kafka", error);
}

std::string drill_services::stopped() {
  if (redis_ && !redis_->running())
    return "redis-server stopped (" + redis_->status()->describe() + ")";
  if (kafka_ && !kafka_->running())
    return "mock-kafka stopped (" + kafka_->status()->describe() + ")";
  return "";
}

}  // namespace rtfeat

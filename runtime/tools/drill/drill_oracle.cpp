// The oracle diff as a child process (see drill_oracle.hpp).
#include "runtime/tools/drill/drill_oracle.hpp"

#include <chrono>
#include <cstdio>
#include <thread>

#include <simdjson.h>

#include "runtime/checkpoint/manifest_json.hpp"
#include "runtime/tools/drill/child_process.hpp"
#include "runtime/tools/drill/drill_run.hpp"
#include "runtime/tools/drill/node_log.hpp"

namespace rtfeat {

std::optional<uint64_t> run_oracle(const std::string& work, const std::string& config,
                                   const std::string& events, uint16_t redis_port,
                                   drill_report& r) {
  auto log = work + "/oracle.log", stats = work + "/oracle.json";
  std::string error;
  auto child = child_process::start(
    {self_executable(), "oracle", "--config", config, "--events", events, "--redis",
     "127.0.0.1:" + std::to_string(redis_port), "--diff", "--stats", stats},
    log, error);
  if (!child) return r.failures.push_back(error), std::nullopt;
  log_tail tail(log);
  auto echo = [&] {
    for (const auto& line : tail.new_lines())
      if (line.rfind("oracle:", 0) == 0 || line.rfind("diff:", 0) == 0)
        std::fprintf(stderr, "drill: %s\n", line.c_str());
  };
  while (child->running()) {
    if (drill_stop_requested) return r.failures.push_back("interrupted"), std::nullopt;
    echo();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  echo();
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  uint64_t differences = 0;
  if (parser.load(stats).get(o) != simdjson::SUCCESS
      || !json_u64(o, "differences", stats, differences, error)) {
    r.failures.push_back("the oracle diff failed (" + child->status()->describe() + ", see " + log
                         + ")");
    return std::nullopt;
  }
  if (differences > 0)
    r.failures.push_back(std::to_string(differences)
                         + " differences between Redis and the oracle (see " + log + ")");
  return differences;
}

}  // namespace rtfeat

// The drill's last check: `rtfeat oracle --diff` as a child process, which
// recomputes from the events file what Redis must hold and counts the differences.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "runtime/tools/drill/drill_report.hpp"

namespace rtfeat {

/// Runs the oracle diff of `events` (with the cluster config `config`) against
/// the Redis on 127.0.0.1:`redis_port`, echoing its progress; the differences it
/// counted, or nullopt (with a failure in `r`) when it could not tell. Any
/// difference is a failure in `r` too. Logs to <work>/oracle.log.
/// Runs in: the drill's main thread; blocks until the oracle exits.
std::optional<uint64_t> run_oracle(const std::string& work, const std::string& config,
                                   const std::string& events, uint16_t redis_port, drill_report& r);

}  // namespace rtfeat

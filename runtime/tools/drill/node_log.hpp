// Reading `rtfeat node` logs while the nodes run: a tail that hands out complete
// new lines of a growing file. (When a node processes is not read from its log:
// runtime/lifecycle/node_status.hpp.)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rtfeat {

/// Complete lines appended to a file since the last call. The file may not exist
/// yet; a last line without its newline waits for the next call.
class log_tail {
public:
  explicit log_tail(std::string path) : path_(std::move(path)) {}
  /// Blocks: reads what was appended. Runs in: the caller's thread.
  std::vector<std::string> new_lines();
  const std::string& path() const { return path_; }

private:
  std::string path_;
  uint64_t offset_ = 0;
  std::string partial_;
};

}  // namespace rtfeat

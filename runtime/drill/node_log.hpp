// Reading `rtfeat node` logs while the nodes run: a tail that hands out complete
// new lines of a growing file, and the parser of the one line `rtfeat drill`
// times rollbacks with ("node: processing: readers started at unix_ms=... from
// checkpoint ..."), printed by a node each time its readers start.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtfeat {

struct processing_line {
  int64_t unix_ms = 0;      // wall clock when the readers started
  uint64_t checkpoint = 0;  // the checkpoint they resumed from, 0 = the beginning
};

/// The processing line's numbers, or nullopt for any other line.
std::optional<processing_line> parse_processing_line(std::string_view line);

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

// `rtfeat gen --labels`: parses each line as it is written (the engine's own
// parser, so only events a node accepts count) and, at the end, writes the
// impressions as the label CSV that `rtfeat export` joins (docs/training.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/event.hpp"
#include "runtime/event_parser.hpp"
#include "runtime/tools/gen/impression_labels.hpp"

namespace rtfeat::cmd {

class label_writer {
public:
  /// Feeds one written line; malformed or out-of-range lines are skipped.
  void add_line(std::string_view line);

  /// Writes `user_id,item_id,ts,label,hour` rows to `path` and a summary line to
  /// stderr. False, with the reason on stderr, when the file cannot be written.
  bool write(const std::string& path, int64_t window_ms);

private:
  event_parser parser_;
  event event_;
  impression_labeler labeler_;
};

}  // namespace rtfeat::cmd

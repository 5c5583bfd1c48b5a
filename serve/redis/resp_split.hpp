// Splits a pipeline's RESP text back into its commands and finds each one's
// key, so that the cluster path can route a batch built for one connection
// (feature reads, model reads) without the builders knowing about slots.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace rtfeat::serve {

/// One command of a RESP buffer: its bytes and its first argument after the
/// command name (the key of every read serve sends), empty when it has none.
struct resp_command_span {
  size_t offset = 0;
  size_t length = 0;
  std::string_view key;  // points into the buffer
};

/// Appends the commands of `resp` (as append_command writes them: `*N\r\n` then
/// N `$len\r\narg\r\n`) to `out`; false when the text is not of that form.
bool split_commands(std::string_view resp, std::vector<resp_command_span>& out);

}  // namespace rtfeat::serve

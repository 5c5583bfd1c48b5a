// RESP command splitting (see resp_split.hpp).
#include "serve/redis/resp_split.hpp"

#include <charconv>

namespace rtfeat::serve {

namespace {

/// Reads `<tag><digits>\r\n` at `pos`; false when it is not there.
bool read_length(std::string_view s, size_t& pos, char tag, size_t& n) {
  if (pos >= s.size() || s[pos] != tag) return false;
  auto begin = s.data() + pos + 1, end = s.data() + s.size();
  auto [stop, ec] = std::from_chars(begin, end, n);
  if (ec != std::errc{} || stop == begin || end - stop < 2 || stop[0] != '\r' || stop[1] != '\n') return false;
  pos = static_cast<size_t>(stop - s.data()) + 2;
  return true;
}

}  // namespace

bool split_commands(std::string_view resp, std::vector<resp_command_span>& out) {
  size_t pos = 0;
  while (pos < resp.size()) {
    resp_command_span c;
    c.offset = pos;
    size_t args = 0;
    if (!read_length(resp, pos, '*', args) || args == 0) return false;
    for (size_t i = 0; i < args; ++i) {
      size_t len = 0;
      if (!read_length(resp, pos, '$', len) || resp.size() - pos < len + 2) return false;
      if (resp[pos + len] != '\r' || resp[pos + len + 1] != '\n') return false;
      if (i == 1) c.key = resp.substr(pos, len);
      pos += len + 2;
    }
    c.length = pos - c.offset;
    out.push_back(c);
  }
  return true;
}

}  // namespace rtfeat::serve

// Builds Redis commands straight into a pipeline's output buffer in RESP
// (`*N\r\n$len\r\narg\r\n...`): no allocation per command or argument, so a
// batch of a thousand entities costs one growing string.
#pragma once

#include <charconv>
#include <string>
#include <string_view>

namespace rtfeat::serve {

/// Appends one command with arguments `args...` (anything convertible to string_view).
template <class... Args>
void append_command(std::string& out, Args&&... args) {
  auto length = [&out](size_t n, char tag) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
    (void)ec;  // 24 digits hold any size_t
    out += tag;
    out.append(buf, end);
    out += "\r\n";
  };
  length(sizeof...(Args), '*');
  auto one = [&](std::string_view a) {
    length(a.size(), '$');
    out.append(a);
    out += "\r\n";
  };
  (one(std::string_view(args)), ...);
}

}  // namespace rtfeat::serve

// host:port parsing (see host_port.hpp).
#include "config/host_port.hpp"

#include <charconv>

namespace rtfeat {

bool parse_host_port(std::string_view text, std::string& host, int& port) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const char* first = text.data() + colon + 1;
  const char* last = text.data() + text.size();
  int n = 0;
  auto [end, ec] = std::from_chars(first, last, n);
  if (ec != std::errc{} || end != last || first == last || n < 1 || n > 65535) return false;
  host = std::string(text.substr(0, colon));
  port = n;
  return true;
}

}  // namespace rtfeat

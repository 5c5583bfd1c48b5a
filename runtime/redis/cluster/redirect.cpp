// Redirects are "<MOVED|ASK> <slot> <endpoint>:<port>"; the port follows the last
// ':', so a bare IPv6 endpoint keeps its own colons. A redirect that does not
// parse is classified `other`: following half of one would send data astray.
#include "runtime/redis/cluster/redirect.hpp"

#include <charconv>
#include <optional>

#include "runtime/redis/cluster/key_slot.hpp"

namespace rtfeat {

namespace {

bool starts_with_word(std::string_view text, std::string_view word) {
  return text.starts_with(word) && (text.size() == word.size() || text[word.size()] == ' ');
}

std::optional<int> parse_number(std::string_view digits, int max) {
  int value = 0;
  const auto* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, value);
  if (digits.empty() || ec != std::errc{} || ptr != end || value < 0 || value > max) return std::nullopt;
  return value;
}

std::optional<cluster_error> parse_redirect(cluster_reply_kind kind, std::string_view rest,
                                            std::string_view current_host) {
  const auto space = rest.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto slot = parse_number(rest.substr(0, space), cluster_slot_count - 1);
  const auto endpoint = rest.substr(space + 1);
  const auto colon = endpoint.rfind(':');
  if (!slot || colon == std::string_view::npos) return std::nullopt;
  const auto port = parse_number(endpoint.substr(colon + 1), 65535);
  if (!port || *port == 0) return std::nullopt;
  auto host = endpoint.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.find(' ') != std::string_view::npos) return std::nullopt;
  if (host.empty()) host = current_host;
  return cluster_error{.kind = kind, .slot = static_cast<uint16_t>(*slot),
                       .target = {.host = std::string(host), .port = *port}};
}

}  // namespace

cluster_error classify_error(std::string_view error, std::string_view current_host) {
  constexpr std::string_view moved = "MOVED ", ask = "ASK ";
  std::optional<cluster_error> redirect;
  if (error.starts_with(moved)) {
    redirect = parse_redirect(cluster_reply_kind::moved, error.substr(moved.size()), current_host);
  } else if (error.starts_with(ask)) {
    redirect = parse_redirect(cluster_reply_kind::ask, error.substr(ask.size()), current_host);
  }
  if (redirect) return *redirect;
  if (starts_with_word(error, "TRYAGAIN")) return {.kind = cluster_reply_kind::try_again, .slot = 0, .target = {}};
  if (starts_with_word(error, "CLUSTERDOWN")) return {.kind = cluster_reply_kind::cluster_down, .slot = 0, .target = {}};
  if (starts_with_word(error, "LOADING")) return {.kind = cluster_reply_kind::loading, .slot = 0, .target = {}};
  return {};
}

}  // namespace rtfeat

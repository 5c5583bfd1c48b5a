// Dataset markers (see dataset_marker.hpp).
#include "runtime/redis/dataset_marker.hpp"

#include <charconv>
#include <cstdio>
#include <random>

namespace rtfeat {

dataset_marker::dataset_marker(const std::string& writer, std::string token)
  : key_(std::string(redis_internal_prefix) + "marker:{" + writer + "}"), token_(std::move(token)) {}

dataset_marker dataset_marker::in_slot_of(const std::string& tag, const std::string& writer, std::string token) {
  dataset_marker m(writer, std::move(token));
  m.key_ = std::string(redis_internal_prefix) + "marker:{" + tag + "}:" + writer;
  return m;
}

const std::string& dataset_marker::next() {
  value_ = token_ + ":" + std::to_string(++sent_);
  return value_;
}

std::optional<uint64_t> dataset_marker::number_of(std::string_view value) const {
  if (value.size() <= token_.size() + 1 || !value.starts_with(token_) || value[token_.size()] != ':')
    return std::nullopt;
  uint64_t n = 0;
  auto digits = value.substr(token_.size() + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return n;
}

bool dataset_marker::confirm(const std::optional<std::string_view>& previous) {
  bool intact = true;
  if (confirmed_ > 0) {
    // Redis may hold the last confirmed number, or a later one whose pipeline
    // got no reply (applied, then the connection broke). Anything else is a loss.
    auto n = previous ? number_of(*previous) : std::nullopt;
    intact = n && (*n == confirmed_ || (*n > confirmed_ && *n <= in_doubt_));
  }
  confirmed_ = sent_;
  in_doubt_ = 0;
  return intact;
}

std::string random_marker_token() {
  std::random_device rd;
  uint64_t v = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace rtfeat

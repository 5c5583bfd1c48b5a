// Node log tailing and the processing line (see node_log.hpp).
#include "runtime/drill/node_log.hpp"

#include <charconv>
#include <fstream>

namespace rtfeat {

namespace {

template <class Int>
bool number_after(std::string_view line, std::string_view label, Int& out) {
  auto at = line.find(label);
  if (at == std::string_view::npos) return false;
  const char* first = line.data() + at + label.size();
  auto [end, ec] = std::from_chars(first, line.data() + line.size(), out);
  return ec == std::errc{} && end != first;
}

}  // namespace

std::optional<processing_line> parse_processing_line(std::string_view line) {
  if (line.rfind("node: processing: ", 0) != 0) return std::nullopt;
  processing_line p;
  if (!number_after(line, "readers started at unix_ms=", p.unix_ms)
      || !number_after(line, " from checkpoint ", p.checkpoint))
    return std::nullopt;
  return p;
}

std::vector<std::string> log_tail::new_lines() {
  std::vector<std::string> out;
  std::ifstream in(path_, std::ios::binary);
  if (!in) return out;
  in.seekg(static_cast<std::streamoff>(offset_));
  std::string chunk(size_t{64} * 1024, '\0');
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    auto n = static_cast<size_t>(in.gcount());
    offset_ += n;
    partial_.append(chunk.data(), n);
  }
  size_t start = 0;
  for (size_t nl; (nl = partial_.find('\n', start)) != std::string::npos; start = nl + 1)
    out.emplace_back(partial_, start, nl - start);
  partial_.erase(0, start);
  return out;
}

}  // namespace rtfeat

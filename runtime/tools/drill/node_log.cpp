// Node log tailing (see node_log.hpp).
#include "runtime/tools/drill/node_log.hpp"

#include <fstream>

namespace rtfeat {

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

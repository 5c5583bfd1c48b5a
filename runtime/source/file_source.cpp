// File source (see file_source.hpp). The file is split in memory up front,
// keeping only the lines still to be read of the partitions asked for: simple
// and fast for test and replay files; streaming comes later.
#include "runtime/source/file_source.hpp"

#include <algorithm>
#include <fstream>

#include "runtime/murmur2.hpp"
#include "runtime/source/message_key.hpp"

namespace rtfeat {

namespace {

/// One partition's lines from offset `first` on (all of them dropped when not `kept`).
class file_partition_source final : public message_source {
public:
  file_partition_source(int64_t first, bool kept)
      : first_(std::max<int64_t>(first, 0)), kept_(kept) {}

  /// The partition's next line (offset = lines offered before it).
  void offer(std::string&& line) {
    if (kept_ && seen_ >= first_) lines_.push_back(std::move(line));
    ++seen_;
  }

  size_t poll(size_t max, const visitor& fn) override {
    size_t n = 0;
    for (; n < max && next_ < lines_.size(); ++n, ++next_) {
      fn(first_ + static_cast<int64_t>(next_), lines_[next_]);
      std::string().swap(lines_[next_]);  // release memory as we go
    }
    return n;
  }

  bool at_end() const override { return next_ >= lines_.size(); }

private:
  int64_t first_;
  bool kept_;
  int64_t seen_ = 0;
  std::vector<std::string> lines_;
  size_t next_ = 0;
};

}  // namespace

int32_t file_partition_of(std::optional<std::string_view> user_id, uint64_t line_no,
                          int32_t partitions) {
  return user_id ? partition_of(*user_id, partitions)
                 : static_cast<int32_t>(line_no % static_cast<uint64_t>(partitions));
}

std::vector<std::unique_ptr<message_source>> open_file_sources(const std::string& path,
                                                               int32_t partitions,
                                                               const std::vector<int64_t>& start,
                                                               std::string& error,
                                                               const std::vector<int32_t>* only) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open events file";
    return {};
  }
  std::vector<file_partition_source*> parts;
  std::vector<std::unique_ptr<message_source>> out;
  for (int32_t p = 0; p < partitions; ++p) {
    auto first = static_cast<size_t>(p) < start.size() ? start[static_cast<size_t>(p)] : 0;
    bool kept = only == nullptr || std::binary_search(only->begin(), only->end(), p);
    auto src = std::make_unique<file_partition_source>(first, kept);
    parts.push_back(src.get());
    out.push_back(std::move(src));
  }
  message_key_extractor keys;
  std::string line;
  uint64_t line_no = 0;
  while (std::getline(in, line)) {
    auto p = file_partition_of(keys.user_id(line), line_no, partitions);
    parts[static_cast<size_t>(p)]->offer(std::move(line));
    ++line_no;
  }
  return out;
}

}  // namespace rtfeat

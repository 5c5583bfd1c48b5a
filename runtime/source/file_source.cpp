// File source (see file_source.hpp). The whole file is split in memory up
// front: simple and fast for test and replay files; streaming comes later.
#include "runtime/source/file_source.hpp"

#include <algorithm>
#include <fstream>

#include "runtime/murmur2.hpp"
#include "runtime/source/message_key.hpp"

namespace rtfeat {

namespace {

class file_partition_source final : public message_source {
public:
  void push(std::string line) { lines_.push_back(std::move(line)); }
  void start_at(int64_t offset) { next_ = static_cast<size_t>(std::max<int64_t>(offset, 0)); }

  size_t poll(size_t max, const visitor& fn) override {
    size_t n = 0;
    for (; n < max && next_ < lines_.size(); ++n, ++next_) {
      fn(static_cast<int64_t>(next_), lines_[next_]);
      std::string().swap(lines_[next_]);  // release memory as we go
    }
    return n;
  }

  bool at_end() const override { return next_ >= lines_.size(); }

private:
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
                                                                std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open events file";
    return {};
  }
  std::vector<file_partition_source*> parts;
  std::vector<std::unique_ptr<message_source>> out;
  for (int32_t p = 0; p < partitions; ++p) {
    auto src = std::make_unique<file_partition_source>();
    parts.push_back(src.get());
    out.push_back(std::move(src));
  }
  message_key_extractor keys;
  std::string line;
  uint64_t line_no = 0;
  while (std::getline(in, line)) {
    auto p = file_partition_of(keys.user_id(line), line_no, partitions);
    parts[static_cast<size_t>(p)]->push(std::move(line));
    ++line_no;
  }
  for (size_t p = 0; p < start.size() && p < parts.size(); ++p) parts[p]->start_at(start[p]);
  return out;
}

}  // namespace rtfeat

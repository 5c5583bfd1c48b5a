// Counting the drill's log per partition (see partition_load.hpp).
#include "runtime/tools/drill/partition_load.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <fstream>

#include "runtime/source/file_source.hpp"
#include "runtime/source/message_key.hpp"

namespace rtfeat {

namespace {

/// A v2 record's own bytes besides key and value: length, attributes, timestamp
/// and offset deltas, key and value lengths, header count (varints), rounded up.
constexpr uint64_t record_overhead_bytes = 24;

std::string mib(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

}  // namespace

uint64_t partition_load::total_events() const {
  uint64_t n = 0;
  for (auto e : events) n += e;
  return n;
}

uint32_t partition_load::fullest() const {
  return static_cast<uint32_t>(std::max_element(events.begin(), events.end()) - events.begin());
}

bool count_partition_load(const std::string& path, uint32_t partitions, partition_load& out,
                          std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return error = path + ": cannot open it", false;
  out.events.assign(partitions, 0);
  out.bytes.assign(partitions, 0);
  message_key_extractor keys;
  std::string line;
  for (uint64_t line_no = 0; std::getline(in, line); ++line_no) {
    auto key = keys.user_id(line);
    auto p = static_cast<size_t>(file_partition_of(key, line_no, static_cast<int32_t>(partitions)));
    out.events[p] += 1;
    out.bytes[p] += line.size() + (key ? key->size() : 0) + record_overhead_bytes;
  }
  if (in.bad()) return error = path + ": cannot read it", false;
  return true;
}

std::optional<std::string> mock_kafka_overflow(const partition_load& load) {
  for (size_t p = 0; p < load.events.size(); ++p) {
    if (load.events[p] * 10 <= mock_partition_max_messages * 9
        && load.bytes[p] * 10 <= mock_partition_max_bytes * 9)
      continue;
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "partition %zu of %zu would hold %" PRIu64
                  " events (%s), more than the Kafka mock keeps (~100 000 messages or 5 MiB per "
                  "partition)",
                  p, load.events.size(), load.events[p], mib(load.bytes[p]).c_str());
    return std::string(buf);
  }
  return std::nullopt;
}

}  // namespace rtfeat

// What a shard asks Redis to hold for one key after a flush: absolute field
// values to set and fields to delete (SPEC §3: never increments), plus a TTL.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rtfeat {

struct key_update {
  std::string key;
  std::vector<std::pair<std::string, std::string>> set;
  std::vector<std::string> del;
  int64_t ttl_s = 0;  // 0 = no TTL
};

}  // namespace rtfeat

// Polling a checkpoint directory (see checkpoint_watch.hpp).
#include "runtime/tools/drill/checkpoint_watch.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>

namespace rtfeat {

namespace {

namespace fs = std::filesystem;

bool checkpoint_id(const std::string& name, uint64_t& id) {
  if (name.rfind("chk-", 0) != 0) return false;
  auto [end, ec] = std::from_chars(name.data() + 4, name.data() + name.size(), id);
  return ec == std::errc{} && end == name.data() + name.size();
}

bool has_files(const fs::path& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().rfind("kg-", 0) == 0) return true;
  return false;
}

}  // namespace

void checkpoint_watch::poll() {
  std::error_code ec;
  uint64_t newest_partial = 0;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    uint64_t id = 0;
    if (!checkpoint_id(it->path().filename().string(), id)) continue;
    newest_seen_ = std::max(newest_seen_, id);
    if (completed_.count(id) > 0) continue;
    std::error_code exists_ec;
    if (fs::exists(it->path() / "MANIFEST", exists_ec))
      completed_.insert(id);
    else if (id > newest_partial && has_files(it->path()))
      newest_partial = id;
  }
  in_flight_ = newest_partial > newest_complete() ? newest_partial : 0;
}

}  // namespace rtfeat

// impression_labeler: the response times of each (user, item) are sorted once,
// and each view then finds the first response strictly after it by binary search.
#include "runtime/tools/gen/impression_labels.hpp"

#include <algorithm>
#include <string>

namespace rtfeat {

void impression_labeler::add(const event& e) {
  if (e.item_id.empty()) return;
  switch (e.kind) {
    case behavior::view:
      views_.push_back({.user_id = e.user_id, .item_id = e.item_id, .ts = e.ts});
      return;
    case behavior::click:
    case behavior::cart:
    case behavior::purchase:
      responses_[pair_key(e.user_id, e.item_id)].push_back(e.ts);
      return;
    case behavior::fav:
    case behavior::search: return;
  }
}

std::vector<impression> impression_labeler::label(int64_t window_ms) {
  for (auto& [key, times] : responses_) std::sort(times.begin(), times.end());
  std::vector<impression> out;
  out.reserve(views_.size());
  for (const view& v : views_) {
    bool positive = false;
    if (auto it = responses_.find(pair_key(v.user_id, v.item_id)); it != responses_.end()) {
      auto next = std::upper_bound(it->second.begin(), it->second.end(), v.ts);
      positive = next != it->second.end() && *next <= v.ts + window_ms;
    }
    out.push_back({.user_id = v.user_id, .item_id = v.item_id, .ts = v.ts, .positive = positive});
  }
  return out;
}

// Ids in events may hold any character, so the user id's length, not a separator,
// tells where it ends.
std::string impression_labeler::pair_key(const std::string& user_id, const std::string& item_id) {
  std::string key = std::to_string(user_id.size());
  key.reserve(key.size() + 1 + user_id.size() + item_id.size());
  key.append(":").append(user_id).append(item_id);
  return key;
}

}  // namespace rtfeat

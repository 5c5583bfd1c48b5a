// Render memo (see render_memo.hpp).
#include "serve/cache/render_memo.hpp"

#include <absl/strings/string_view.h>

namespace rtfeat::serve {

void render_memo::key_of(uint8_t type, const feature_mask& wanted, std::string_view id, std::string& out) {
  out.clear();
  out += static_cast<char>(type);
  out.append(reinterpret_cast<const char*>(wanted.data()), wanted.size());
  out.append(id);
}

const rendered_entity* render_memo::find(std::string_view key, const std::vector<key_reply>& keys) const {
  auto it = entries_.find(absl::string_view(key.data(), key.size()));
  if (it == entries_.end()) return nullptr;
  const auto& from = it->second.from;
  if (from.size() != keys.size()) return nullptr;
  for (size_t k = 0; k < keys.size(); ++k)
    if (from[k].get() != keys[k].reply) return nullptr;
  return &it->second;
}

void render_memo::store(std::string_view key, rendered_entity r) {
  if (max_entries_ == 0) return;
  auto it = entries_.find(absl::string_view(key.data(), key.size()));
  if (it != entries_.end()) {
    it->second = std::move(r);
    return;
  }
  if (entries_.size() >= max_entries_) entries_.erase(entries_.begin());
  entries_.emplace(std::string(key), std::move(r));
}

}  // namespace rtfeat::serve

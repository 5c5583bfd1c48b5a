// Update coalescing (see update_coalescer.hpp). Fields per key are few, so
// linear search over the small vectors is the cheap choice.
#include "runtime/redis/update_coalescer.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <utility>

namespace rtfeat {

namespace {

void set_field(key_update& into, std::string field, std::string value) {
  std::erase(into.del, field);
  auto it = std::find_if(into.set.begin(), into.set.end(), [&](const auto& fv) { return fv.first == field; });
  if (it != into.set.end()) it->second = std::move(value);
  else into.set.emplace_back(std::move(field), std::move(value));
}

void del_field(key_update& into, std::string field) {
  std::erase_if(into.set, [&](const auto& fv) { return fv.first == field; });
  if (std::find(into.del.begin(), into.del.end(), field) == into.del.end())
    into.del.push_back(std::move(field));
}

}  // namespace

void update_coalescer::add(key_update&& u) {
  bool fresh = false;
  const auto at = static_cast<uint32_t>(pending_.size());
  auto it = index_.lazy_emplace(std::string_view(u.key), [&](const auto& construct) {
    fresh = true;
    construct(at);  // pending_[at] is the key from now on: pushed before the next lookup
  });
  if (fresh) {
    pending_.push_back(std::move(u));
    return;
  }
  auto& into = pending_[*it];
  into.ttl_s = std::max(into.ttl_s, u.ttl_s);
  switch (u.type) {
    case redis_type::hash: case redis_type::zset:
      if (u.replace) {  // a whole new value: what came before no longer matters
        into = std::move(u);
        break;
      }
      for (auto& [f, v] : u.set) set_field(into, std::move(f), std::move(v));
      for (auto& f : u.del) del_field(into, std::move(f));
      break;
    case redis_type::list: case redis_type::string:
      into.values = std::move(u.values);  // whole values: the newest wins
      break;
    case redis_type::hyperloglog:
      if (!u.registers.empty()) {  // every register: the members added before are in them
        into = std::move(u);
        break;
      }
      if (u.replace) into.values.clear(), into.replace = true, into.registers.clear();
      into.values.insert(into.values.end(), std::make_move_iterator(u.values.begin()),
                         std::make_move_iterator(u.values.end()));
      break;
  }
}

std::vector<key_update> update_coalescer::take() {
  index_.clear();
  auto out = std::exchange(pending_, {});
  pending_.reserve(out.size());  // about as many keys next time: no doubling, no rehashing
  index_.reserve(out.size());
  return out;
}

}  // namespace rtfeat

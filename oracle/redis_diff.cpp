// diff_redis: a merge walk over the expected keys and the Redis keys, both in
// sorted order; key_differ compares the content of keys both sides have.
// make_hll_reference asks Redis for the HyperLogLog of each expected member set.
#include "oracle/redis_diff.hpp"

#include <algorithm>

#include "oracle/key_differ.hpp"
#include "runtime/redis/dataset_marker.hpp"

namespace rtfeat::oracle {

namespace {

// by_type index of a key only Redis has.
size_t redis_kind(const redis_key_snapshot& s) {
  if (s.type == "hash") return static_cast<size_t>(value_type::hash);
  if (s.type == "list") return static_cast<size_t>(value_type::list);
  if (s.type == "zset") return static_cast<size_t>(value_type::zset);
  if (s.type == "string")
    return static_cast<size_t>(s.value.starts_with("HYLL") ? value_type::hyperloglog
                                                           : value_type::string);
  return other_type;
}

std::string redis_size(const redis_key_snapshot& s) {
  if (s.type == "list") return std::to_string(s.items.size()) + " item(s)";
  if (s.type == "zset") return std::to_string(s.fields.size()) + " member(s)";
  if (s.type == "string") return std::to_string(s.value.size()) + " byte(s)";
  if (s.type == "hash") return std::to_string(s.fields.size()) + " field(s)";
  return "content not read";
}

std::vector<const redis_key_snapshot*> live_keys(const std::vector<redis_key_snapshot>& redis) {
  std::vector<const redis_key_snapshot*> live;
  for (const auto& s : redis)
    if (s.type != "none" && !s.key.starts_with(redis_scratch_prefix) && !s.key.starts_with(redis_internal_prefix))
      live.push_back(&s);  // the sinks' dataset markers are not features
  std::sort(live.begin(), live.end(), [](auto* a, auto* b) { return a->key < b->key; });
  return live;
}

// Redis keys with the fields SPEC §4a leaves undefined taken out (counted in
// r.undefined_fields); a hash left empty is as if absent. Other keys are untouched.
std::vector<redis_key_snapshot> strip_undefined(const expected_state& expected,
                                                const std::vector<const redis_key_snapshot*>& live,
                                                diff_result& r) {
  std::vector<redis_key_snapshot> stripped;
  if (expected.undefined_fields.empty()) return stripped;
  for (const auto* s : live) {
    auto u = expected.undefined_fields.find(s->key);
    if (u == expected.undefined_fields.end() || s->type != "hash") continue;
    auto copy = *s;
    auto before = copy.fields.size();
    std::erase_if(copy.fields, [&](const auto& fv) { return u->second.contains(fv.first); });
    r.undefined_fields += before - copy.fields.size();
    stripped.push_back(std::move(copy));
  }
  return stripped;
}

}  // namespace

diff_result diff_redis(const expected_state& expected, const std::vector<redis_key_snapshot>& redis,
                       const hll_reference& hll, size_t max_lines) {
  diff_result r;
  key_differ d(r, max_lines);
  auto live = live_keys(redis);
  r.redis_keys = live.size();
  auto stripped = strip_undefined(expected, live, r);
  for (const auto& s : stripped) {
    auto at = std::lower_bound(live.begin(), live.end(), s.key, [](auto* a, const std::string& k) { return a->key < k; });
    if (s.fields.empty()) live.erase(at);
    else *at = &s;
  }
  auto e = expected.keys.begin();
  size_t i = 0;
  while (e != expected.keys.end() || i < live.size()) {
    if (i == live.size() || (e != expected.keys.end() && e->first < live[i]->key)) {
      d.note(r.missing_keys, static_cast<size_t>(type_of(e->second)),
             [&] { return "missing key " + e->first + " (" + preview(e->second) + ")"; });
      ++e;
    } else if (e == expected.keys.end() || live[i]->key < e->first) {
      d.note(r.unexpected_keys, redis_kind(*live[i]), [&] {
        return "unexpected key " + live[i]->key + " (type " + live[i]->type + ", "
               + redis_size(*live[i]) + ")";
      });
      ++i;
    } else {
      auto ref = hll.find(e->first);
      auto ttl = expected.ttl_s.find(e->first);
      d.compare(e->first, e->second, *live[i], ref == hll.end() ? nullptr : &ref->second,
                ttl == expected.ttl_s.end() ? 0 : ttl->second);
      ++e;
      ++i;
    }
  }
  return r;
}

bool make_hll_reference(const expected_state& expected, redis_reader& redis, hll_reference& out,
                        std::string& error) {
  std::vector<const std::string*> keys;
  std::vector<const std::set<std::string>*> sets;
  for (const auto& [key, value] : expected.keys)
    if (const auto* h = std::get_if<hll_value>(&value)) {
      keys.push_back(&key);
      sets.push_back(&h->members);
    }
  std::vector<std::string> bytes;
  if (!redis.hyperloglog_bytes(sets, bytes, error)) return false;
  for (size_t i = 0; i < keys.size(); ++i) out[*keys[i]] = std::move(bytes[i]);
  return true;
}

}  // namespace rtfeat::oracle

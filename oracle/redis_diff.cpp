// diff_redis: a merge walk over the expected keys and the Redis keys, both in
// sorted order, then over the fields of each key both sides have.
#include "oracle/redis_diff.hpp"

#include <algorithm>

namespace rtfeat::oracle {

namespace {

class differ {
public:
  differ(diff_result& r, size_t max_lines) : r_(r), max_lines_(max_lines) {}

  // Counts one difference; `describe()` builds its line only while lines are kept.
  template <class Describe>
  void note(uint64_t& counter, Describe&& describe) {
    ++counter;
    if (r_.lines.size() < max_lines_) r_.lines.push_back(describe());
  }

  void compare_key(const std::string& key, const field_map& want, const redis_key_snapshot& got,
                   const expected_state& expected);

private:
  void compare_fields(const std::string& key, const field_map& want,
                      std::vector<std::pair<std::string, std::string>> got);

  diff_result& r_;
  size_t max_lines_;
};

void differ::compare_key(const std::string& key, const field_map& want,
                         const redis_key_snapshot& got, const expected_state& expected) {
  if (got.type != "hash") {
    note(r_.wrong_type,
         [&] { return "wrong type " + key + ": expected hash, redis has " + got.type; });
    return;
  }
  compare_fields(key, want, got.fields);
  auto ttl = expected.ttl_s.find(key);
  if (ttl != expected.ttl_s.end() && got.ttl_s <= 0)
    note(r_.missing_ttl, [&] {
      return "no ttl " + key + ": expected a TTL (feature ttl " + std::to_string(ttl->second)
             + " s), redis TTL is " + std::to_string(got.ttl_s);
    });
}

void differ::compare_fields(const std::string& key, const field_map& want,
                            std::vector<std::pair<std::string, std::string>> got) {
  std::sort(got.begin(), got.end());
  auto w = want.begin();
  size_t g = 0;
  while (w != want.end() || g < got.size()) {
    if (g == got.size() || (w != want.end() && w->first < got[g].first)) {
      note(r_.missing_fields, [&] {
        return "missing field " + key + " " + w->first + " (expected " + w->second + ")";
      });
      ++w;
    } else if (w == want.end() || got[g].first < w->first) {
      note(r_.unexpected_fields,
           [&] { return "unexpected field " + key + " " + got[g].first + " = " + got[g].second; });
      ++g;
    } else {
      if (w->second != got[g].second)
        note(r_.different_values, [&] {
          return "different value " + key + " " + w->first + ": expected " + w->second
                 + ", redis has " + got[g].second;
        });
      ++w;
      ++g;
    }
  }
}

std::string preview(const field_map& fields) {
  const auto& [f, v] = *fields.begin();
  return std::to_string(fields.size()) + " field(s), e.g. " + f + " = " + v;
}

}  // namespace

diff_result diff_redis(const expected_state& expected, const std::vector<redis_key_snapshot>& redis,
                       size_t max_lines) {
  diff_result r;
  differ d(r, max_lines);
  std::vector<const redis_key_snapshot*> live;
  for (const auto& s : redis)
    if (s.type != "none") live.push_back(&s);
  std::sort(live.begin(), live.end(), [](auto* a, auto* b) { return a->key < b->key; });
  r.redis_keys = live.size();
  auto e = expected.keys.begin();
  size_t i = 0;
  while (e != expected.keys.end() || i < live.size()) {
    if (i == live.size() || (e != expected.keys.end() && e->first < live[i]->key)) {
      d.note(r.missing_keys,
             [&] { return "missing key " + e->first + " (" + preview(e->second) + ")"; });
      ++e;
    } else if (e == expected.keys.end() || live[i]->key < e->first) {
      d.note(r.unexpected_keys, [&] {
        return "unexpected key " + live[i]->key + " (type " + live[i]->type + ", "
               + std::to_string(live[i]->fields.size()) + " field(s))";
      });
      ++i;
    } else {
      d.compare_key(e->first, e->second, *live[i], expected);
      ++e;
      ++i;
    }
  }
  return r;
}

}  // namespace rtfeat::oracle

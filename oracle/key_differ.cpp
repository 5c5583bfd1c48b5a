// key_differ: one key, both sides present. Hashes and sorted sets are merge
// walks by field/member; lists compare as sequences, strings as bytes, and
// HyperLogLogs as decoded registers (see hll_registers.hpp).
#include "oracle/key_differ.hpp"

#include <algorithm>
#include <charconv>

#include "oracle/hll_registers.hpp"

namespace rtfeat::oracle {

namespace {

constexpr auto hash_t = static_cast<size_t>(value_type::hash);
constexpr auto list_t = static_cast<size_t>(value_type::list);
constexpr auto zset_t = static_cast<size_t>(value_type::zset);
constexpr auto string_t = static_cast<size_t>(value_type::string);
constexpr auto hll_t = static_cast<size_t>(value_type::hyperloglog);

// A ZRANGE WITHSCORES score equals an integer score when it parses to the same double.
bool same_score(const std::string& got, int64_t want) {
  double v = 0;
  auto [end, ec] = std::from_chars(got.data(), got.data() + got.size(), v);
  return ec == std::errc{} && end == got.data() + got.size() && v == static_cast<double>(want);
}

std::string at_or_end(const std::vector<std::string>& v, size_t i) {
  return i < v.size() ? v[i] : "<end>";
}

}  // namespace

std::string preview(const expected_value& v) {
  if (const auto* h = std::get_if<field_map>(&v))
    return std::to_string(h->size()) + " field(s), e.g. " + h->begin()->first + " = "
           + h->begin()->second;
  if (const auto* l = std::get_if<list_value>(&v))
    return "list of " + std::to_string(l->items.size()) + ", head " + l->items.front();
  if (const auto* z = std::get_if<zset_value>(&v))
    return "zset of " + std::to_string(z->scores.size()) + ", e.g. " + z->scores.begin()->first
           + " = " + std::to_string(z->scores.begin()->second);
  if (const auto* s = std::get_if<string_value>(&v)) return "string " + s->text;
  const auto& m = std::get<hll_value>(v).members;
  return "hyperloglog of " + std::to_string(m.size()) + " member(s), e.g. " + *m.begin();
}

void key_differ::compare(const std::string& key, const expected_value& want,
                         const redis_key_snapshot& got, const std::string* hll_bytes,
                         int64_t want_ttl_s) {
  const auto type = type_of(want);
  const auto t = static_cast<size_t>(type);
  const std::string_view redis_type = type == value_type::hyperloglog ? "string" : to_string(type);
  if (got.type != redis_type)
    return note(r_.wrong_type, t, [&] {
      return "wrong type " + key + ": expected " + std::string(to_string(type)) + ", redis has "
             + got.type;
    });
  if (const auto* h = std::get_if<field_map>(&want)) compare_hash(key, *h, got);
  if (const auto* l = std::get_if<list_value>(&want)) compare_list(key, *l, got);
  if (const auto* z = std::get_if<zset_value>(&want)) compare_zset(key, *z, got);
  if (const auto* h = std::get_if<hll_value>(&want)) compare_hll(key, *h, got, hll_bytes);
  if (const auto* s = std::get_if<string_value>(&want); s != nullptr && s->text != got.value)
    note(r_.different_strings, string_t, [&] {
      return "different string " + key + ": expected " + s->text + ", redis has " + got.value;
    });
  if (want_ttl_s > 0 && got.ttl_s <= 0)
    note(r_.missing_ttl, t, [&] {
      return "no ttl " + key + ": expected a TTL (feature ttl " + std::to_string(want_ttl_s)
             + " s), redis TTL is " + std::to_string(got.ttl_s);
    });
}

void key_differ::compare_hash(const std::string& key, const field_map& want,
                              const redis_key_snapshot& got) {
  auto fields = got.fields;
  std::sort(fields.begin(), fields.end());
  auto w = want.begin();
  size_t g = 0;
  while (w != want.end() || g < fields.size()) {
    if (g == fields.size() || (w != want.end() && w->first < fields[g].first)) {
      note(r_.missing_fields, hash_t, [&] {
        return "missing field " + key + " " + w->first + " (expected " + w->second + ")";
      });
      ++w;
    } else if (w == want.end() || fields[g].first < w->first) {
      note(r_.unexpected_fields, hash_t, [&] {
        return "unexpected field " + key + " " + fields[g].first + " = " + fields[g].second;
      });
      ++g;
    } else {
      if (w->second != fields[g].second)
        note(r_.different_values, hash_t, [&] {
          return "different value " + key + " " + w->first + ": expected " + w->second
                 + ", redis has " + fields[g].second;
        });
      ++w;
      ++g;
    }
  }
}

void key_differ::compare_list(const std::string& key, const list_value& want,
                              const redis_key_snapshot& got) {
  if (want.items == got.items) return;
  size_t i = 0;
  while (i < want.items.size() && i < got.items.size() && want.items[i] == got.items[i]) ++i;
  note(r_.different_lists, list_t, [&] {
    return "different list " + key + " at index " + std::to_string(i) + ": expected "
           + at_or_end(want.items, i) + ", redis has " + at_or_end(got.items, i) + " (lengths "
           + std::to_string(want.items.size()) + " and " + std::to_string(got.items.size()) + ")";
  });
}

void key_differ::compare_zset(const std::string& key, const zset_value& want,
                              const redis_key_snapshot& got) {
  auto members = got.fields;
  std::sort(members.begin(), members.end());
  auto w = want.scores.begin();
  size_t g = 0;
  while (w != want.scores.end() || g < members.size()) {
    if (g == members.size() || (w != want.scores.end() && w->first < members[g].first)) {
      note(r_.missing_members, zset_t, [&] {
        return "missing member " + key + " " + w->first + " (expected score "
               + std::to_string(w->second) + ")";
      });
      ++w;
    } else if (w == want.scores.end() || members[g].first < w->first) {
      note(r_.unexpected_members, zset_t, [&] {
        return "unexpected member " + key + " " + members[g].first + " = " + members[g].second;
      });
      ++g;
    } else {
      if (!same_score(members[g].second, w->second))
        note(r_.different_scores, zset_t, [&] {
          return "different score " + key + " " + w->first + ": expected "
                 + std::to_string(w->second) + ", redis has " + members[g].second;
        });
      ++w;
      ++g;
    }
  }
}

void key_differ::compare_hll(const std::string& key, const hll_value& want,
                             const redis_key_snapshot& got, const std::string* hll_bytes) {
  auto got_regs = decode_hll(got.value);
  auto want_regs = hll_bytes != nullptr ? decode_hll(*hll_bytes) : std::nullopt;
  std::string why;
  if (!got_regs)
    why = "redis value is not a HyperLogLog (" + std::to_string(got.value.size()) + " bytes)";
  else if (!want_regs)
    why = "no reference registers for its expected members";
  size_t differ = 0;
  for (size_t i = 0; why.empty() && i < hll_register_count; ++i)
    differ += (*got_regs)[i] != (*want_regs)[i] ? 1 : 0;
  if (differ > 0)
    why = std::to_string(differ) + " of 16384 registers differ from those of the expected "
          + std::to_string(want.members.size()) + " member(s), e.g. " + *want.members.begin();
  if (!why.empty())
    note(r_.different_hyperloglogs, hll_t,
         [&] { return "different hyperloglog " + key + ": " + why; });
}

}  // namespace rtfeat::oracle

// What Redis would hold after the update batches a sink received, for tests that
// compare end states (the rollback test): each key_update applied as the sink's
// commands apply it (runtime/redis/command_plan.cpp), TTLs left out, and a
// HyperLogLog kept as its registers, since a rewrite SETs Redis's own bytes
// where a run without one PFADDed members (oracle/hll_registers.hpp says why).
#pragma once

#include <algorithm>
#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "oracle/hll_registers.hpp"
#include "runtime/hll_sketch.hpp"
#include "runtime/key_update.hpp"

namespace rtfeat::test {

struct redis_value {
  redis_type type = redis_type::hash;
  std::map<std::string, std::string> fields;  // hash: field -> value; zset: member -> score
  std::vector<std::string> values;            // list: head first; string: its one value
  oracle::hll_registers registers{};          // hyperloglog
  bool operator==(const redis_value&) const = default;
};

class redis_image {
public:
  void apply(const std::vector<key_update>& batch) {
    for (const auto& u : batch) apply(u);
  }
  void apply(const key_update& u) {
    switch (u.type) {
      case redis_type::hash:
      case redis_type::zset:
        return apply_fields(u);
      case redis_type::list:
      case redis_type::string:
        if (u.values.empty()) return remove(u.key);
        keys_[u.key] = {
          .type = u.type,
          .fields = {},
          .values = u.type == redis_type::list ? u.values : std::vector<std::string>{u.values[0]}};
        return;
      case redis_type::hyperloglog:
        return apply_hll(u);
    }
  }

  const std::map<std::string, redis_value>& keys() const { return keys_; }

private:
  void remove(const std::string& key) { keys_.erase(key); }

  void apply_fields(const key_update& u) {
    if (u.replace && u.set.empty()) return remove(u.key);  // a whole value with nothing in it: DEL
    if (u.replace) keys_.erase(u.key);                     // DEL, then the whole content
    if (u.set.empty() && !keys_.contains(u.key)) return;
    auto& v = keys_[u.key];
    v.type = u.type;
    for (const auto& [f, value] : u.set) v.fields[f] = value;
    if (!u.replace)
      for (const auto& f : u.del) v.fields.erase(f);
    if (v.fields.empty()) keys_.erase(u.key);
  }

  void apply_hll(const key_update& u) {
    oracle::hll_registers start{};
    if (!u.registers.empty()) {
      auto decoded = oracle::decode_hll(u.registers);  // SET of Redis's bytes, then PFADD
      if (!decoded) throw std::runtime_error("not a HyperLogLog: the registers of " + u.key);
      start = *decoded;
    } else if (u.values.empty()) {  // a whole set with nothing in it (DEL), or nothing added
      if (u.replace) remove(u.key);
      return;
    } else if (auto it = keys_.find(u.key);
               !u.replace && it != keys_.end()) {  // PFADD (a replace SETs)
      start = it->second.registers;
    }
    for (const auto& member : u.values) {
      auto [index, value] = redis_hll_register(member);
      start[index] = std::max(start[index], value);
    }
    keys_[u.key] = {
      .type = redis_type::hyperloglog, .fields = {}, .values = {}, .registers = start};
  }

  std::map<std::string, redis_value> keys_;
};

/// `v` in one line, for a failing comparison's message.
inline std::string describe(const redis_value& v) {
  std::string out;
  for (const auto& [f, value] : v.fields) out.append(f).append("=").append(value).append(" ");
  for (const auto& value : v.values) out.append(value).append(",");
  if (v.type == redis_type::hyperloglog) {
    size_t set = 0, sum = 0;
    for (auto r : v.registers) set += r != 0, sum += r;
    out += "hll(" + std::to_string(set) + " registers set, sum " + std::to_string(sum) + ")";
  }
  return out;
}

/// Where `a` and `b` differ, a line per key (at most `max_lines`); "" when they are equal.
inline std::string differences(const redis_image& a, const redis_image& b, size_t max_lines = 8) {
  std::vector<std::string> lines;
  auto differ = [&](const std::string& key, const redis_value* x, const redis_value* y) {
    if (x && y && *x == *y) return;
    lines.push_back(key + ": " + (x ? describe(*x) : "<none>") + " | "
                    + (y ? describe(*y) : "<none>"));
  };
  for (const auto& [key, v] : a.keys()) {
    auto it = b.keys().find(key);
    differ(key, &v, it == b.keys().end() ? nullptr : &it->second);
  }
  for (const auto& [key, v] : b.keys())
    if (!a.keys().contains(key)) differ(key, nullptr, &v);
  std::string out;
  for (size_t i = 0; i < lines.size() && i < max_lines; ++i) out += lines[i] + "\n";
  if (lines.size() > max_lines)
    out += "... and " + std::to_string(lines.size() - max_lines) + " more keys\n";
  return out;
}

}  // namespace rtfeat::test

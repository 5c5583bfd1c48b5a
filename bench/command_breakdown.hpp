// Counts the commands a flush would send by name (HSET, EXPIRE, MULTI...) and by
// key family (the key with its hash-tagged entity id blanked: user:feature:{}),
// so a commands-per-event figure says which writes it is made of.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>

#include "runtime/redis/command_plan.hpp"

namespace rtfeat {

class command_breakdown final : public command_sink {
public:
  void begin(const char* name) override { name_ = name, args_ = 0; }
  void arg(const char* s, size_t n) override {
    if (args_++ == 0) family_ = family_of(std::string_view(s, n));
  }
  void end() override {
    ++by_name_[name_];
    ++by_family_[args_ == 0 ? std::string("-") : family_][name_];
  }

  /// `"commands_by_name":{...},"commands_by_family":{...}`, per event when `events` > 0.
  std::string json(uint64_t events) const {
    std::string out = "\"commands_by_name\":{";
    append_counts(out, by_name_, events);
    out += "},\"commands_by_family\":{";
    bool first = true;
    for (const auto& [family, names] : by_family_) {
      out += (first ? "\"" : ",\"") + family + "\":{";
      append_counts(out, names, events);
      out += "}";
      first = false;
    }
    return out + "}";
  }

private:
  using counts = std::map<std::string, uint64_t>;

  /// The key with the text inside its first {...} removed; keys without a hash
  /// tag are their own family.
  static std::string family_of(std::string_view key) {
    auto open = key.find('{');
    auto close = open == std::string_view::npos ? open : key.find('}', open);
    if (close == std::string_view::npos) return std::string(key);
    return std::string(key.substr(0, open + 1)).append(key.substr(close));
  }

  static void append_counts(std::string& out, const counts& c, uint64_t events) {
    bool first = true;
    for (const auto& [name, n] : c) {
      char buf[64];
      if (events > 0) std::snprintf(buf, sizeof buf, "%.4f", static_cast<double>(n) / static_cast<double>(events));
      else std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(n));
      out += (first ? "\"" : ",\"") + name + "\":" + buf;
      first = false;
    }
  }

  const char* name_ = "";
  size_t args_ = 0;
  std::string family_;
  counts by_name_;
  std::map<std::string, counts> by_family_;
};

}  // namespace rtfeat

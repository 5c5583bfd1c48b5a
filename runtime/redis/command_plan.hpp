// The Redis commands that write a batch of coalesced key updates: plain
// HSET/HDEL/ZADD/ZREM/PFADD/SET first, whole-value replaces (DEL + write, or a
// list's RPUSH + LTRIM) in shared MULTI/EXEC blocks, EXPIRE only where
// ttl_tracker asks for it. Kept
// apart from the connection so tests and the raw baseline can see the commands.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "runtime/key_update.hpp"
#include "runtime/redis/ttl_tracker.hpp"

namespace rtfeat {

/// Receives commands one argument at a time: begin(name), arg()..., end().
class command_sink {
public:
  virtual ~command_sink() = default;
  virtual void begin(const char* name) = 0;
  /// REQUIRES: `s` stays valid until end().
  virtual void arg(const char* s, size_t n) = 0;
  virtual void end() = 0;
};

/// Keys per MULTI/EXEC block: one transaction per key cost two commands each;
/// a block of this size keeps Redis busy for well under a millisecond.
inline constexpr size_t whole_keys_per_block = 64;

/// Sends the commands for `updates` to `out`; `now_ms` is a steady clock.
/// REQUIRES: at most one update per key (coalesced). Returns the command count.
uint64_t plan_commands(std::span<const key_update> updates, ttl_tracker& ttl, int64_t now_ms,
                       command_sink& out);

/// A sink that keeps every command as strings (tests, the raw baseline).
class recorded_commands final : public command_sink {
public:
  void begin(const char* name) override { current_.assign(1, name); }
  void arg(const char* s, size_t n) override { current_.emplace_back(s, n); }
  void end() override { commands.push_back(std::move(current_)), current_.clear(); }
  std::vector<std::vector<std::string>> commands;

private:
  std::vector<std::string> current_;
};

}  // namespace rtfeat

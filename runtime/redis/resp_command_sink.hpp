// Encodes planned commands as RESP into one buffer that goes to hiredis in one
// call: hiredis's own formatting (sdscatfmt per argument) was a tenth of the
// node's CPU.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/redis/command_plan.hpp"

namespace rtfeat {

/// Appends each command to `buf` (never clears it).
class resp_command_sink final : public command_sink {
public:
  resp_command_sink(std::string& buf, std::vector<std::string_view>& args) : buf_(buf), args_(args) {}
  void begin(const char* name) override { args_.assign(1, std::string_view(name)); }
  void arg(const char* s, size_t n) override { args_.emplace_back(s, n); }
  void end() override;

private:
  std::string& buf_;
  std::vector<std::string_view>& args_;  // the command being built; its strings outlive end()
};

}  // namespace rtfeat

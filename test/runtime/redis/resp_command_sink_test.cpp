// The sink's RESP encoding: byte for byte what hiredis's own formatting gives.
#include <doctest/doctest.h>
#include <hiredis/hiredis.h>

#include <string>
#include <string_view>
#include <vector>

#include "runtime/redis/resp_command_sink.hpp"

using namespace rtfeat;

namespace {

std::string hiredis_format(const std::vector<std::string>& argv) {
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  for (const auto& a : argv) ptrs.push_back(a.data()), lens.push_back(a.size());
  char* out = nullptr;
  auto n = redisFormatCommandArgv(&out, static_cast<int>(argv.size()), ptrs.data(), lens.data());
  REQUIRE(n > 0);
  std::string s(out, static_cast<size_t>(n));
  redisFreeCommand(out);
  return s;
}

void encode(resp_command_sink& sink, const std::vector<std::string>& argv) {
  sink.begin(argv[0].c_str());
  for (size_t i = 1; i < argv.size(); ++i) sink.arg(argv[i].data(), argv[i].size());
  sink.end();
}

}  // namespace

TEST_CASE("resp_command_sink encodes as hiredis does, appending to the buffer") {
  std::vector<std::vector<std::string>> commands = {
    {"MULTI"},
    {"HSET", "user:feature:{u1}", "clicks_1h", "7", "_ts", "1700000000000"},
    {"SET", "k", "", "EX", "600"},  // an empty argument
    {"RPUSH", "user:recent:{u2}", std::string(9, 'a'), std::string(10, 'b'), std::string(99, 'c'),
     std::string(100, 'd'), std::string(12345, 'e')},
    {"DEL", std::string(1, '\0') + "x\r\n"},  // binary bytes are copied as they are
  };
  std::vector<std::string> many{"ZADD", "z"};  // argc of 2, 3 and more digits
  for (int i = 0; i < 1000; ++i) many.push_back(std::to_string(i));
  commands.push_back(many);
  commands.push_back(std::vector<std::string>(many.begin(), many.begin() + 12));
  commands.push_back(std::vector<std::string>(many.begin(), many.begin() + 150));

  std::string buf = "already there";
  std::string expected = buf;
  std::vector<std::string_view> args;
  resp_command_sink sink(buf, args);
  for (const auto& c : commands) {
    encode(sink, c);
    expected += hiredis_format(c);
    CHECK(buf == expected);
  }
}

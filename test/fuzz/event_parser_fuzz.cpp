// libFuzzer target: a Kafka payload through the event parser (SPEC §2). Any
// input must come back as an event or a reject reason, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runtime/event_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static rtfeat::event_parser parser(1700000000000);  // a fixed "now": runs repeat
  rtfeat::event ev;
  parser.parse(std::string_view(reinterpret_cast<const char*>(data), size), ev);
  return 0;
}

// RESP encoding (see resp_command_sink.hpp): *<argc>, then $<len> and the bytes of each argument.
#include "runtime/redis/resp_command_sink.hpp"

#include <charconv>

namespace rtfeat {

void resp_command_sink::end() {
  number('*', args_.size());
  for (auto a : args_) {
    number('$', a.size());
    buf_.append(a).append("\r\n", 2);
  }
}

void resp_command_sink::number(char prefix, size_t n) {
  char tmp[24];
  tmp[0] = prefix;
  auto [end, ec] = std::to_chars(tmp + 1, tmp + sizeof tmp - 2, n);
  *end++ = '\r', *end++ = '\n';
  buf_.append(tmp, static_cast<size_t>(end - tmp));
}

}  // namespace rtfeat

// RESP encoding (see resp_command_sink.hpp): *<argc>, then $<len> and the bytes of each argument.
// The command's exact size is known before it is written: one resize, then plain stores (appending
// piecewise, with to_chars per length, was ~750 instructions a command).
#include "runtime/redis/resp_command_sink.hpp"

#include <charconv>
#include <cstring>

namespace rtfeat {

namespace {

/// Bytes of `prefix`, n in decimal and CRLF.
size_t header_size(size_t n) {
  size_t digits = 1;
  for (; n >= 10; n /= 10) ++digits;
  return digits + 3;
}

char* put_header(char* p, char prefix, size_t n) {
  *p++ = prefix;
  if (n < 10) {
    *p++ = static_cast<char>('0' + n);
  } else if (n < 100) {
    *p++ = static_cast<char>('0' + n / 10);
    *p++ = static_cast<char>('0' + n % 10);
  } else {
    p = std::to_chars(p, p + 20, n).ptr;
  }
  *p++ = '\r', *p++ = '\n';
  return p;
}

}  // namespace

void resp_command_sink::end() {
  size_t size = header_size(args_.size());
  for (auto a : args_) size += header_size(a.size()) + a.size() + 2;
  const size_t at = buf_.size();
  buf_.resize(at + size);
  char* p = buf_.data() + at;
  p = put_header(p, '*', args_.size());
  for (auto a : args_) {
    p = put_header(p, '$', a.size());
    if (!a.empty()) std::memcpy(p, a.data(), a.size());
    p += a.size();
    *p++ = '\r', *p++ = '\n';
  }
}

}  // namespace rtfeat

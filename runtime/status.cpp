// status: kind names and printing (see status.hpp).
#include "runtime/status.hpp"

#include <ostream>

namespace rtfeat {

std::string_view to_string(error_kind k) {
  switch (k) {
    case error_kind::retriable:
      return "retriable";
    case error_kind::bad_input:
      return "bad input";
    case error_kind::fatal:
      return "fatal";
  }
  return "fatal";
}

status status::prefixed(std::string_view context) const& {
  if (ok()) return *this;
  return {kind_, std::string(context) + message_};
}

std::ostream& operator<<(std::ostream& os, const status& s) {
  if (s.ok()) return os << "ok";
  return os << to_string(s.kind()) << ": " << s.message();
}

}  // namespace rtfeat

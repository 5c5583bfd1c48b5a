// clock.hpp's two readings, through std::chrono.
#include "runtime/clock.hpp"

#include <chrono>

namespace rtfeat {

int64_t wall_clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t steady_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace rtfeat

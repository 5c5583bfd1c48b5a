// Failure bookkeeping of the Redis sink (see write_failures.hpp).
#include "runtime/redis/write_failures.hpp"

namespace rtfeat {

bool write_failures::on_failure(const std::string& error, clock::time_point now) {
  if (in_a_row_++ == 0) since_ = now;
  if (error == logged_error_ && now - logged_ < repeat_log_) return false;
  logged_error_ = error;
  logged_ = now;
  return true;
}

bool write_failures::on_success() {
  bool ended = in_a_row_ > 0;
  in_a_row_ = 0;
  logged_error_.clear();  // the same error after a recovery is news again
  return ended;
}

int64_t write_failures::failing_ms(clock::time_point now) const {
  if (in_a_row_ == 0) return 0;
  return std::chrono::duration_cast<std::chrono::milliseconds>(now - since_).count();
}

bool write_failures::stalled(clock::time_point now) const {
  return stall_timeout_.count() > 0 && in_a_row_ > 0 && now - since_ >= stall_timeout_;
}

}  // namespace rtfeat

// The first error inside a hiredis reply: the reply itself, or one nested in
// an array (EXEC returns the errors of its commands that way).
#pragma once

#include <hiredis/hiredis.h>

namespace rtfeat {

/// Null when `r` holds no error reply at any depth.
inline const redisReply* first_error_in(const redisReply* r) {
  if (r->type == REDIS_REPLY_ERROR) return r;
  if (r->type == REDIS_REPLY_ARRAY) {
    for (size_t i = 0; i < r->elements; ++i)
      if (const auto* e = first_error_in(r->element[i])) return e;
  }
  return nullptr;
}

}  // namespace rtfeat

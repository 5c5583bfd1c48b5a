// Key updates (see key_update.hpp).
#include "runtime/key_update.hpp"

namespace rtfeat {

key_update delete_of(std::string key, redis_type type) {
  switch (type) {
    case redis_type::list:
    case redis_type::string:
      return key_update{.key = std::move(key), .type = type};
    case redis_type::hash:
    case redis_type::zset:
    case redis_type::hyperloglog:
      return key_update{.key = std::move(key), .type = type, .replace = true};
  }
  return key_update{.key = std::move(key), .type = type, .replace = true};
}

}  // namespace rtfeat

// Redis AUTH (see redis_auth.hpp).
#include "runtime/redis/redis_auth.hpp"

#include <hiredis/hiredis.h>

#include <cstdlib>

namespace rtfeat {

namespace {

/// The reply's error text, or "" when it is not an error.
std::string error_of(const redisReply* r) {
  if (r == nullptr) return "no reply";
  if (r->type == REDIS_REPLY_ERROR) return std::string(r->str, r->len);
  return "";
}

}  // namespace

redis_credentials redis_credentials_from_env(const std::string& username) {
  const char* password = std::getenv(redis_password_env);
  return {username, password != nullptr ? password : ""};
}

bool redis_authenticate(redisContext* c, const redis_credentials& cred, std::string& error) {
  if (cred.password.empty()) {
    if (cred.username.empty()) return true;
    error = std::string("redis.username is set but ") + redis_password_env + " is not";
    return false;
  }
  void* raw = cred.username.empty()
                ? redisCommand(c, "AUTH %b", cred.password.data(), cred.password.size())
                : redisCommand(c, "AUTH %b %b", cred.username.data(), cred.username.size(), cred.password.data(),
                               cred.password.size());
  if (raw == nullptr) {
    error = std::string("AUTH: ") + c->errstr;
    return false;
  }
  auto* reply = static_cast<redisReply*>(raw);
  std::string why = error_of(reply);
  freeReplyObject(reply);
  if (why.empty()) return true;
  error = "AUTH refused (" + why + "): check " + redis_password_env
          + (cred.username.empty() ? std::string() : " and redis.username '" + cred.username + "'");
  return false;
}

std::string redis_ping_error(redisContext* c, const redis_credentials& cred, bool& refused) {
  refused = false;
  auto* reply = static_cast<redisReply*>(redisCommand(c, "PING"));
  if (reply == nullptr) return c->errstr;
  std::string why = error_of(reply);
  freeReplyObject(reply);
  if (why.empty()) return why;
  refused = true;  // NOAUTH: the server has a password we were not given
  return cred.password.empty() ? why + " (set " + redis_password_env + ")" : why;
}

}  // namespace rtfeat

// Redis authentication for every connection rtfeat opens (sinks, oracle, the
// node's start-up check through redis_reader): AUTH [username] password right after connecting.
// The password comes from the environment only, never from a config file.
#pragma once

#include <string>

struct redisContext;

namespace rtfeat {

inline constexpr const char* redis_password_env = "RTFEAT_REDIS_PASSWORD";

struct redis_credentials {
  std::string username;  // redis.username: an ACL user; empty = the default user
  std::string password;  // empty = no AUTH
};

/// `username` from the config, the password from RTFEAT_REDIS_PASSWORD.
redis_credentials redis_credentials_from_env(const std::string& username);

/// Sends AUTH when a password is set. False with `error` when Redis refuses it
/// (wrong password, unknown user) or the connection fails.
bool redis_authenticate(redisContext* c, const redis_credentials& cred, std::string& error);

/// PINGs: "" when Redis answers, else why not; a NOAUTH names the variable to set.
/// `refused` tells an error reply (Redis wants credentials) from a dead connection.
std::string redis_ping_error(redisContext* c, const redis_credentials& cred, bool& refused);

}  // namespace rtfeat

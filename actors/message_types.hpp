// The one function that registers every message type that may cross nodes.
// Every process that runs an actor system calls it: a type missing on one side
// of a link is not a compile error, its messages are silently lost.
#pragma once

#include "caf/fwd.hpp"

namespace rtfeat {

void register_message_types(caf::actor_system_config& cfg);

}  // namespace rtfeat

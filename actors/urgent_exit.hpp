// An exit message that overtakes the mailbox. CAF 0.17's anon_send_exit sends at
// normal priority, behind every message already queued: a sink with a replay's
// backlog of update batches took ~1 s to see a kill, and the rollback waited.
#pragma once

#include "caf/actor.hpp"
#include "caf/exit_reason.hpp"
#include "caf/message.hpp"
#include "caf/message_id.hpp"
#include "caf/send.hpp"
#include "caf/system_messages.hpp"

namespace rtfeat {

/// `kill` goes first (what is queued is dropped with the actor); any other reason
/// queues like anon_send_exit, after what the actor still has to do.
inline void send_exit(const caf::actor& a, caf::exit_reason how) {
  if (!a) return;
  if (how != caf::exit_reason::kill) return caf::anon_send_exit(a, how);
  a->enqueue(nullptr, caf::make_message_id(caf::message_priority::high),
             caf::make_message(caf::exit_msg{a.address(), how}), nullptr);
}

}  // namespace rtfeat

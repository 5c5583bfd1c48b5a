// One batch of reads on a Redis Cluster: the batch a request built for one
// connection is split by key slot into one pipeline per master, and the
// replies are joined back in command order. MOVED updates the slot map (and
// asks for a fresh CLUSTER SLOTS) and resends to the new master; ASK resends
// once to the importing node behind ASKING; TRYAGAIN, CLUSTERDOWN, LOADING and
// lost connections are retried after a short back-off. All of it within the
// request's deadline: past it the batch fails naming the node that failed it.
// A reply is only ever taken from the node that answered for the slot (a node
// that does not own a slot answers MOVED or ASK, never a value).
#pragma once

#include <string_view>

#include "serve/redis/cluster_nodes.hpp"
#include "serve/redis/redis_connection.hpp"

namespace rtfeat::serve {

/// Like redis_connection::execute, on the cluster: `done` gets one reply per
/// command in `commands` order, or an error ("deadline: ..." when the deadline
/// passed, else "host:port: why"). `done` may run before this returns.
/// Runs in: the loop's thread (the one of `nodes`).
void execute_on_cluster(cluster_nodes& nodes, std::string_view commands, size_t count,
                        steady_clock::time_point deadline, batch_completion done);

}  // namespace rtfeat::serve

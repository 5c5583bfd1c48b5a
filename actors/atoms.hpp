// Every atom of the engine's protocol, in one place (CAF 0.17: <= 10 chars).
#pragma once

#include "caf/atom.hpp"

namespace rtfeat {

using poll_atom = caf::atom_constant<caf::atom("poll")>;        // reader: poll the source again
using flush_atom = caf::atom_constant<caf::atom("flush")>;      // shard/sink: flush timer
using emit_atom = caf::atom_constant<caf::atom("emit")>;        // shard: a feature's emit interval is up
using end_atom = caf::atom_constant<caf::atom("end")>;          // upstream finished (drain/stop)
using idle_atom = caf::atom_constant<caf::atom("idle")>;        // reader idle past the timeout
using stop_atom = caf::atom_constant<caf::atom("stop")>;        // operator asked to stop
using drained_atom = caf::atom_constant<caf::atom("drained")>;  // sink wrote everything
using stalled_atom = caf::atom_constant<caf::atom("stalled")>;  // sink gave up: Redis refused writes too long
using barrier_atom = caf::atom_constant<caf::atom("barrier")>;  // checkpoint barrier n
using tick_atom = caf::atom_constant<caf::atom("tick")>;        // coordinator timer
using credit_atom = caf::atom_constant<caf::atom("credit")>;    // shard took a reader's batch
using start_atom = caf::atom_constant<caf::atom("start")>;      // coordinator: readers known
using final_atom = caf::atom_constant<caf::atom("final")>;      // coordinator: last checkpoint
using ready_atom = caf::atom_constant<caf::atom("ready")>;      // shard: state restored, processing
using shards_atom = caf::atom_constant<caf::atom("shards")>;    // sink: the node's shards, for resyncs
using resync_atom = caf::atom_constant<caf::atom("resync")>;    // sink -> shard: Redis lost data, rewrite all
using rewritten_atom = caf::atom_constant<caf::atom("rewritten")>;  // shard -> sink: whole state sent
using sweep_atom = caf::atom_constant<caf::atom("sweep")>;          // sink: next page of keys
using swept_atom = caf::atom_constant<caf::atom("swept")>;  // shard -> sink: n orphans deleted
using sweep_end_atom = caf::atom_constant<caf::atom("sweepend")>;  // sink -> shard: n sweeps over

// Cluster handshake and shutdown (actors/cluster_agent, docs/cluster.md).
using challenge_atom = caf::atom_constant<caf::atom("challenge")>;  // a node asks a peer for a nonce
using hello_atom = caf::atom_constant<caf::atom("hello")>;        // a node introduces itself to a peer
using peer_atom = caf::atom_constant<caf::atom("peer")>;          // a peer's hello, for the agent / the node
using readers_atom = caf::atom_constant<caf::atom("readers")>;    // a node's readers, for the coordinator
using finished_atom = caf::atom_constant<caf::atom("finished")>;  // a node's sinks wrote everything
using done_atom = caf::atom_constant<caf::atom("done")>;          // every node finished: exit
using lost_atom = caf::atom_constant<caf::atom("lost")>;          // a peer disconnected
using stale_atom = caf::atom_constant<caf::atom("stale")>;        // a peer restored a newer checkpoint
// Membership changes (runtime/cluster/membership.hpp): the coordinator tells node 0's
// agent that checkpoint n committed; node 0 tells every node that epoch n did.
using committed_atom = caf::atom_constant<caf::atom("committed")>;
using membership_atom = caf::atom_constant<caf::atom("membership")>;

}  // namespace rtfeat

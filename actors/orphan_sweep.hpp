// A Redis sink's orphan sweep after a resync (docs/exactly-once.md "When Redis
// loses data"): reads every key of Redis a page at a time and picks those this
// sink writes (sink_of) of this node's key groups, each for the shard that owns
// it. The shard decides; the sink sends the pages and counts the answers.
// Plain C++ over a key_scanner: the sink actor drives it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/features/held_keys.hpp"
#include "runtime/features/orphan_routes.hpp"
#include "runtime/redis/key_scanner.hpp"

namespace rtfeat {

class orphan_sweep {
public:
  /// REQUIRES: `routes` and `scanner` not null; sink < sinks.
  orphan_sweep(std::shared_ptr<const orphan_routes> routes, std::unique_ptr<key_scanner> scanner,
               size_t sink, size_t sinks);

  /// Starts a pass over every key of Redis, counts reset.
  void restart();
  bool done() const { return started_ && scanner_->done(); }
  /// The next page's candidates, by the shard that owns them (`per_shard` is
  /// resized to `shards`); false with `error` when Redis failed: call again to
  /// start the pass over (a partial pass proves nothing about the keys it missed).
  bool next(size_t shards, std::vector<std::vector<orphan_candidate>>& per_shard,
            std::string& error);

  uint64_t scanned() const { return scanned_; }
  uint64_t candidates() const { return candidates_; }

private:
  std::shared_ptr<const orphan_routes> routes_;
  std::unique_ptr<key_scanner> scanner_;
  size_t sink_, sinks_;
  bool started_ = false;
  std::vector<std::string> page_;
  uint64_t scanned_ = 0, candidates_ = 0;
};

}  // namespace rtfeat

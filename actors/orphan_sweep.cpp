// Orphan sweep (see orphan_sweep.hpp).
#include "actors/orphan_sweep.hpp"

#include "actors/keyed_shard.hpp"

namespace rtfeat {

orphan_sweep::orphan_sweep(std::shared_ptr<const orphan_routes> routes,
                           std::unique_ptr<key_scanner> scanner, size_t sink, size_t sinks)
    : routes_(std::move(routes)), scanner_(std::move(scanner)), sink_(sink), sinks_(sinks) {}

void orphan_sweep::restart() {
  started_ = false;
  scanned_ = candidates_ = 0;
}

bool orphan_sweep::next(size_t shards, std::vector<std::vector<orphan_candidate>>& per_shard,
                        std::string& error) {
  per_shard.assign(shards, {});
  if (!started_) {
    if (!scanner_->start(error)) return false;
    started_ = true;
  }
  if (!scanner_->next(page_, error)) {
    started_ = false;
    return false;
  }
  scanned_ += page_.size();
  for (auto& key : page_) {
    if (sink_of(key, sinks_) != sink_) continue;  // another sink's key: its own sweep decides
    auto route = routes_->route(key);
    if (!route || route->shard >= shards) continue;
    per_shard[route->shard].push_back({std::move(key), route->type});
    ++candidates_;
  }
  return true;
}

}  // namespace rtfeat

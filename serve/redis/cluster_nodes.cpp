// Slot map and node connections of one loop (see cluster_nodes.hpp).
#include "serve/redis/cluster_nodes.hpp"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <variant>

#include "serve/redis/resp_command.hpp"

namespace rtfeat::serve {

namespace {

// A map refresh that failed (no node up, CLUSTER SLOTS refused or incomplete),
// or a map with a master not connected, is read again this often.
constexpr std::chrono::milliseconds refresh_retry{250};

}  // namespace

std::vector<node_address> parse_seeds(const std::vector<std::string>& nodes) {
  std::vector<node_address> out;
  for (const auto& n : nodes) {
    auto colon = n.rfind(':');
    out.push_back({.host = n.substr(0, colon), .port = std::atoi(n.c_str() + colon + 1)});
  }
  return out;
}

cluster_nodes::cluster_nodes(boost::asio::io_context& io, cluster_nodes_options options)
  : io_(io), options_(std::move(options)), timer_(io) {}

cluster_nodes::~cluster_nodes() { stop(); }

void cluster_nodes::start(std::function<void(bool)> on_ready) {
  on_ready_ = std::move(on_ready);
  for (const auto& seed : options_.seeds) to(seed);
  tick();
}

void cluster_nodes::stop() {
  if (stopped_) return;
  stopped_ = true;
  timer_.cancel();
  for (auto& entry : connections_) entry.second->stop();
}

redis_connection& cluster_nodes::to(const node_address& node) {
  auto& connection = connections_[node.to_string()];
  if (connection) return *connection;
  redis_connection_options o;
  o.host = node.host;
  o.port = node.port;
  o.credentials = options_.credentials;
  o.connect_timeout = options_.connect_timeout;
  o.name = options_.name;
  connection = std::make_unique<redis_connection>(io_, o);
  if (options_.round_trip) connection->on_round_trip(options_.round_trip);
  connection->start(
    {},
    [this] {
      if (stale_) refresh();
      update_ready();
    },
    [this] {
      // A node that drops may have failed over: its slots may have a new master.
      refresh();
      update_ready();
    });
  return *connection;
}

void cluster_nodes::refresh() {
  stale_ = true;
  if (refreshing_ || stopped_) return;
  std::vector<node_address> candidates;
  if (map_) candidates = map_->masters();
  candidates.insert(candidates.end(), options_.seeds.begin(), options_.seeds.end());
  for (const auto& node : candidates) {
    auto& connection = to(node);
    if (connection.is_up()) return ask_for_slots(node, connection);
  }
  // None is up: the first to connect asks (to()'s on_up), or the next tick.
}

void cluster_nodes::ask_for_slots(const node_address& node, redis_connection& connection) {
  refreshing_ = true;
  std::string command;
  append_command(command, "CLUSTER", "SLOTS");
  connection.execute(command, 1, steady_clock::now() + options_.connect_timeout,
                     [this, node](reply_span replies, std::string_view error) {
                       refreshing_ = false;
                       if (stopped_) return;
                       if (!error.empty()) {
                         last_slots_error_ = node.to_string() + ": " + std::string(error);
                         return update_ready();
                       }
                       on_slots(node, replies[0]);
                     });
}

void cluster_nodes::on_slots(const node_address& node, const redisReply* reply) {
  auto parsed = slot_map::from_cluster_slots(reply, node.host);
  if (auto* e = std::get_if<slot_map_error>(&parsed)) {
    auto why = node.to_string() + ": CLUSTER SLOTS: " + e->detail;
    if (why != last_slots_error_) std::cerr << "serve: " << options_.name << " " << why << "; retrying\n";
    last_slots_error_ = why;
    return update_ready();
  }
  auto before = master_names();
  if (map_) *map_ = std::get<slot_map>(std::move(parsed));
  else map_.emplace(std::get<slot_map>(std::move(parsed)));
  if (auto masters = master_names(); masters != before) {
    // Operators see failovers, and masters joining or leaving.
    std::cerr << "serve: " << options_.name << ": slot map from " << node.to_string() << ": masters";
    for (const auto& m : masters) std::cerr << " " << m;
    std::cerr << "\n";
  }
  stale_ = false;
  last_slots_error_.clear();
  for (const auto& master : map_->masters()) to(master);
  update_ready();
}

std::vector<std::string> cluster_nodes::master_names() const {
  std::vector<std::string> out;
  if (map_)
    for (const auto& m : map_->masters()) out.push_back(m.to_string());
  std::sort(out.begin(), out.end());
  return out;
}

void cluster_nodes::update_ready() {
  std::string why;
  if (!map_) {
    why = "slot map not read yet (";
    if (!last_slots_error_.empty()) {
      why += last_slots_error_;
    } else {
      for (size_t i = 0; i < options_.seeds.size(); ++i) {
        auto it = connections_.find(options_.seeds[i].to_string());
        why += (i > 0 ? ", " : "") + options_.seeds[i].to_string() + ": "
               + (it == connections_.end() ? std::string("not connected") : it->second->last_error());
      }
    }
    why += ")";
  } else {
    for (const auto& master : map_->masters()) {
      auto it = connections_.find(master.to_string());
      if (it != connections_.end() && it->second->is_up()) continue;
      why = "master " + master.to_string() + ": "
            + (it == connections_.end() ? std::string("not connected") : it->second->last_error());
      break;
    }
  }
  {
    std::lock_guard lock(reason_mutex_);
    reason_ = why;
  }
  bool ready = why.empty();
  if (ready == ready_) return;
  ready_ = ready;
  if (on_ready_) on_ready_(ready);
}

void cluster_nodes::tick() {
  if (stopped_) return;
  // While a master is missing, ask again: its replica may have taken over
  // (readiness should not wait for a request to find out).
  if ((stale_ || !ready_) && !refreshing_) refresh();
  update_ready();
  timer_.expires_after(refresh_retry);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) tick();
  });
}

std::string cluster_nodes::not_ready_reason() const {
  std::lock_guard lock(reason_mutex_);
  return reason_;
}

}  // namespace rtfeat::serve

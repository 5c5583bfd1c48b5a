// Cluster writer (see cluster_writer.hpp). Every unit is idempotent (absolute
// values; a MULTI block runs whole or not at all), so a unit resent after a
// redirect or a lost reply is harmless, however much of it ran before.
#include "runtime/redis/cluster/cluster_writer.hpp"

#include <span>

#include "runtime/clock.hpp"
#include "runtime/redis/cluster/key_slot.hpp"
#include "runtime/redis/cluster/slot_tags.hpp"
#include "runtime/redis/command_plan.hpp"
#include "runtime/redis/resp_command_sink.hpp"

namespace rtfeat {

cluster_writer::cluster_writer(cluster_writer_settings settings)
  : cfg_(std::move(settings)),
    sender_(cfg_.seeds, cfg_.credentials, cfg_.timeout_ms, cfg_.limits),
    token_(random_marker_token()) {}

write_result cluster_writer::write(std::span<const key_update> updates, uint64_t& commands,
                                   std::string& error) {
  auto& buf = sender_.buffer();
  resp_command_sink sink(buf, args_);
  const auto now_ms = steady_ms();  // steady: immune to clock steps
  for (const auto& u : updates) {
    auto begin = buf.size();
    auto n = plan_commands(std::span<const key_update>(&u, 1), ttl_, now_ms, sink);
    if (n > 0) sender_.add_unit(key_slot(u.key), begin, static_cast<uint32_t>(n));
    commands += n;
  }
  bool intact = true;
  if (!sender_.send(error) || !check_markers(commands, intact, error)) {
    ttl_.clear();  // unknown now
    return write_result::failed;
  }
  if (!intact || !cfg_.track_ttl) ttl_.clear();  // lost keys lost their TTLs; or not ours alone to know
  return intact ? write_result::written : write_result::lost_before;
}

dataset_marker& cluster_writer::marker_for(const slot_map& map, const node_address& master, bool& is_new) {
  // A marker this master still serves keeps its place: a promoted replica serves
  // its master's slots, so it is asked for the same marker and shows what it
  // did not receive; and resharding rarely moves it.
  for (auto& [slot, m] : markers_) {
    if (map.master_of(slot) == master) return is_new = false, m;
  }
  // Else the master's highest slot: redis-cli --cluster reshard moves a
  // master's slots lowest first, so this one moves last.
  const auto slot = map.last_slot_of(master).value_or(0);
  is_new = true;
  return markers_.insert_or_assign(slot, dataset_marker::in_slot_of(tag_for_slot(slot), cfg_.writer, token_))
    .first->second;
}

bool cluster_writer::check_markers(uint64_t& commands, bool& intact, std::string& error) {
  const auto* map = sender_.map(error);
  if (map == nullptr) return false;
  std::vector<dataset_marker*> sent;
  bool changed = false;
  auto& buf = sender_.buffer();
  resp_command_sink sink(buf, args_);
  for (const auto& master : map->masters()) {
    bool is_new = false;
    auto& m = marker_for(*map, master, is_new);
    changed = changed || (is_new && marked_);
    const auto begin = buf.size();
    sink.begin("SET");
    sink.arg(m.key().data(), m.key().size());
    const auto& value = m.next();
    sink.arg(value.data(), value.size());
    sink.arg("GET", 3);
    sink.end();
    sender_.add_unit(key_slot(m.key()), begin, 1);
    sent.push_back(&m);
  }
  commands += sent.size();
  if (!sender_.send(error)) {
    for (auto* m : sent) m->unconfirmed();
    return false;
  }
  intact = true;
  loss_detail_.clear();
  for (size_t i = 0; i < sent.size(); ++i) {
    const auto& previous = sender_.last_string(i);
    if (sent[i]->confirm(previous ? std::optional<std::string_view>(*previous) : std::nullopt)) continue;
    intact = false;
    loss_detail_ += (loss_detail_.empty() ? "" : "; ") + ("marker " + sent[i]->key() + " missing or older");
  }
  // A master without a marker in its slots (its marker's slot moved away, or a
  // new master) gets a new one, which proves nothing yet about earlier writes:
  // count it as a loss.
  if (changed) {
    intact = false;
    loss_detail_ += (loss_detail_.empty() ? "" : "; ") + std::string("the cluster's masters or slots changed");
  }
  marked_ = true;
  return true;
}

}  // namespace rtfeat

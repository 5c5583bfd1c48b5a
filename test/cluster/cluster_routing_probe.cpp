// Drives runtime/redis/cluster against a real Redis Cluster (started by
// test/integration/redis_cluster_routing_test.sh): key slots against CLUSTER
// KEYSLOT, writes through cluster_pipeline read back from each master, and one
// slot migrated by hand midway so that ASK and then MOVED must be followed.
// Nothing in rtfeat uses the routing yet; this program is its only real client.
// Usage: rtfeat_cluster_routing_probe HOST PORT [KEYS]
#include <hiredis/hiredis.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "runtime/redis/cluster/cluster_pipeline.hpp"
#include "runtime/redis/cluster/key_slot.hpp"
#include "runtime/redis/cluster/slot_map.hpp"

using namespace rtfeat;

namespace {

using reply_ptr = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "probe: FAIL: %s\n", what.c_str());
  std::exit(1);
}

/// One blocking connection per node, opened on first use.
class connections {
public:
  ~connections() {
    for (auto& [address, ctx] : by_address_) redisFree(ctx);
  }
  redisContext* to(const node_address& node) {
    auto& ctx = by_address_[node.to_string()];
    if (ctx != nullptr) return ctx;
    ctx = redisConnectWithTimeout(node.host.c_str(), node.port, timeval{2, 0});
    if (ctx == nullptr || ctx->err != 0) die("cannot connect to " + node.to_string());
    redisSetTimeout(ctx, timeval{5, 0});
    return ctx;
  }

private:
  std::map<std::string, redisContext*> by_address_;
};

void append(redisContext* ctx, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const auto& a : args) argv.push_back(a.data()), lengths.push_back(a.size());
  redisAppendCommandArgv(ctx, static_cast<int>(args.size()), argv.data(), lengths.data());
}

reply_ptr next_reply(redisContext* ctx) {
  void* reply = nullptr;
  if (redisGetReply(ctx, &reply) != REDIS_OK) return {nullptr, &freeReplyObject};
  return {static_cast<redisReply*>(reply), &freeReplyObject};
}

reply_ptr command(redisContext* ctx, const std::vector<std::string>& args) {
  append(ctx, args);
  auto reply = next_reply(ctx);
  if (!reply) die("no reply to " + args[0]);
  if (reply->type == REDIS_REPLY_ERROR) die(args[0] + " " + (args.size() > 1 ? args[1] : "") + ": " + reply->str);
  return reply;
}

std::string text(const redisReply* r) { return r->str == nullptr ? "" : std::string(r->str, r->len); }

slot_map read_map(connections& conns, const node_address& node) {
  auto reply = command(conns.to(node), {"CLUSTER", "SLOTS"});
  auto parsed = slot_map::from_cluster_slots(reply.get(), node.host);
  if (auto* e = std::get_if<slot_map_error>(&parsed)) die(e->detail);
  return std::get<slot_map>(std::move(parsed));
}

/// Sends the pipeline's rounds until it has finished; the loop a sink will run.
void run(cluster_pipeline& p, connections& conns) {
  while (!p.finished()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(p.backoff_ms()));
    for (const auto& batch : p.next_round()) {
      auto* ctx = conns.to(batch.node);
      for (const auto& planned : batch.commands) {
        if (planned.asking) append(ctx, {"ASKING"});
        append(ctx, p.command(planned.id).args);
      }
      for (const auto& planned : batch.commands) {
        if (planned.asking) next_reply(ctx);  // +OK; a refusal shows in the command's own reply
        auto reply = next_reply(ctx);
        if (!reply) {
          p.on_no_reply(planned.id, "no reply from " + batch.node.to_string());
        } else if (reply->type == REDIS_REPLY_ERROR) {
          p.on_error_reply(planned.id, text(reply.get()));
        } else {
          p.on_success(planned.id);
        }
      }
    }
  }
}

/// Writes `values` through a pipeline over `map`; fails on any command that failed.
pipeline_counts write(const std::map<std::string, std::string>& values, slot_map& map, connections& conns) {
  cluster_pipeline p(map);
  for (const auto& [key, value] : values) p.add({.args = {"SET", key, value}, .key_index = 1});
  run(p, conns);
  for (size_t id = 0; id < values.size(); ++id) {
    if (p.status(id) != command_status::done) die("SET " + p.command(id).args[1] + ": " + p.error(id));
  }
  return p.counts();
}

void check_key_slots(const std::vector<std::string>& keys, redisContext* ctx) {
  for (const auto& k : keys) append(ctx, {"CLUSTER", "KEYSLOT", k});
  for (const auto& k : keys) {
    auto reply = next_reply(ctx);
    if (!reply || reply->type != REDIS_REPLY_INTEGER) die("CLUSTER KEYSLOT " + k);
    if (reply->integer != key_slot(k)) {
      die("key_slot(" + k + ") = " + std::to_string(key_slot(k)) + ", Redis says " + std::to_string(reply->integer));
    }
  }
}

/// Every key is on the master a fresh CLUSTER SLOTS names for its slot, with its
/// value, and the masters hold no other key.
void check_placement(const std::map<std::string, std::string>& expected, const node_address& seed,
                     connections& conns) {
  auto map = read_map(conns, seed);
  long long total = 0;
  for (const auto& master : map.masters()) {
    total += command(conns.to(master), {"DBSIZE"})->integer;
  }
  if (total != static_cast<long long>(expected.size())) {
    die("the masters hold " + std::to_string(total) + " keys, " + std::to_string(expected.size()) + " written");
  }
  for (const auto& [key, value] : expected) {
    const auto& master = map.master_of(key_slot(key));
    auto reply = command(conns.to(master), {"GET", key});
    if (text(reply.get()) != value) die(key + " on " + master.to_string() + " is '" + text(reply.get()) + "'");
  }
}

/// Moves up to `count` keys of `slot` from `from` to `to` (MIGRATE, no copy).
size_t migrate_keys(uint16_t slot, size_t count, const node_address& from, const node_address& to,
                    connections& conns) {
  auto keys = command(conns.to(from), {"CLUSTER", "GETKEYSINSLOT", std::to_string(slot), std::to_string(count)});
  if (keys->elements == 0) return 0;
  std::vector<std::string> args{"MIGRATE", to.host, std::to_string(to.port), "", "0", "5000", "KEYS"};
  for (size_t i = 0; i < keys->elements; ++i) args.push_back(text(keys->element[i]));
  command(conns.to(from), args);
  return keys->elements;
}

std::vector<std::string> probe_keys(int n) {
  // The Redis Cluster specification's hash-tag cases, then generated keys with
  // and without tags (feature keys carry the entity as their tag).
  std::vector<std::string> keys{"{user1000}.following", "{user1000}.followers", "foo{}{bar}", "foo{{bar}}zap",
                                "foo{bar}{zap}", "{}", "{", "}", "a{b", "a}b{c}"};
  for (int i = 0; i < n; ++i) {
    const auto s = std::to_string(i);
    if (i % 3 == 0) keys.push_back("user:feature:{u" + std::to_string(i % 97) + "}:f" + s);
    if (i % 3 == 1) keys.push_back("k:" + s);
    if (i % 3 == 2) keys.push_back("x{" + s + "}}{y}");  // tag: s
  }
  return keys;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) die("usage: rtfeat_cluster_routing_probe HOST PORT [KEYS]");
  const node_address seed{.host = argv[1], .port = std::atoi(argv[2])};
  const int n = argc > 3 ? std::atoi(argv[3]) : 3000;
  connections conns;
  auto map = read_map(conns, seed);
  if (map.masters().size() < 2) die("the cluster needs at least two masters to move a slot");

  const auto keys = probe_keys(n);
  check_key_slots(keys, conns.to(seed));
  std::printf("probe: key_slot agrees with CLUSTER KEYSLOT on %zu keys\n", keys.size());

  std::map<std::string, std::string> expected;
  for (const auto& k : keys) expected[k] = "v1:" + k;
  write(expected, map, conns);
  check_placement(expected, seed, conns);
  std::printf("probe: %zu keys written through %zu masters, each found on its slot's master\n", expected.size(),
              map.masters().size());

  // Move the slot of entity u7 by hand, as redis-cli --cluster reshard does.
  const auto slot = key_slot("u7");
  const auto source = map.master_of(slot);
  const auto target = map.masters()[0] == source ? map.masters()[1] : map.masters()[0];
  const auto source_id = text(command(conns.to(source), {"CLUSTER", "MYID"}).get());
  const auto target_id = text(command(conns.to(target), {"CLUSTER", "MYID"}).get());
  command(conns.to(target), {"CLUSTER", "SETSLOT", std::to_string(slot), "IMPORTING", source_id});
  command(conns.to(source), {"CLUSTER", "SETSLOT", std::to_string(slot), "MIGRATING", target_id});
  const auto moved_early = migrate_keys(slot, 5, source, target, conns);

  // Mid-migration: keys already moved and new keys of the slot need ASK; the map stays.
  std::map<std::string, std::string> second;
  for (const auto& [key, value] : expected) {
    if (key_slot(key) == slot) second[key] = "v2:" + key;
  }
  for (int i = 0; i < 10; ++i) second["user:feature:{u7}:new" + std::to_string(i)] = "v2:new";
  const auto asked = write(second, map, conns);
  if (moved_early == 0 || asked.ask < moved_early + 10 || asked.moved != 0 || map.master_of(slot) != source) {
    die("mid-migration: " + std::to_string(asked.ask) + " ASK, " + std::to_string(asked.moved) + " MOVED for "
        + std::to_string(moved_early) + " migrated keys and 10 new ones");
  }
  for (const auto& [key, value] : second) expected[key] = value;
  std::printf("probe: slot %u mid-migration: %llu ASK followed, slot map unchanged\n", slot,
              static_cast<unsigned long long>(asked.ask));

  while (migrate_keys(slot, 100, source, target, conns) > 0) {
  }
  for (const auto& master : map.masters()) {
    command(conns.to(master), {"CLUSTER", "SETSLOT", std::to_string(slot), "NODE", target_id});
  }
  for (auto& [key, value] : second) value = "v3:" + key;
  const auto moved = write(second, map, conns);
  if (moved.moved == 0 || map.master_of(slot) != target) die("after the migration: no MOVED followed");
  for (const auto& [key, value] : second) expected[key] = value;
  check_placement(expected, seed, conns);
  std::printf("probe: slot %u moved to %s: %llu MOVED followed, every key on its slot's master\n", slot,
              target.to_string().c_str(), static_cast<unsigned long long>(moved.moved));
  return 0;
}

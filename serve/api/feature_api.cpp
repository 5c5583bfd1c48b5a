// Feature routes (see feature_api.hpp).
#include "serve/api/feature_api.hpp"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "runtime/entity_id.hpp"
#include "serve/api/batch_request.hpp"
#include "serve/api/query_string.hpp"
#include "serve/cache/invalidation_listener.hpp"
#include "serve/json/json_out.hpp"

namespace rtfeat::serve {

std::string error_body(std::string_view message) {
  std::string out = "{\"error\":";
  append_json_string(out, message);
  out += '}';
  return out;
}

std::string redis_failure(std::string_view error, std::chrono::milliseconds deadline) {
  if (!error.starts_with("deadline")) return "Redis unavailable: " + std::string(error);
  // "deadline: 127.0.0.1:7001 did not answer" on a cluster names the node.
  return "Redis did not answer within serve.deadline_ms (" + std::to_string(deadline.count()) + " ms)"
         + std::string(error.substr(std::string_view("deadline").size()));
}

struct feature_read_job {
  struct entity {
    entity_type type = entity_type::user;
    std::string id;
    std::vector<key_reply> keys;
    std::vector<int32_t> reply_of_key;  // -1: not read
    std::vector<shared_reply> shared;   // per key: its reply when the near cache shares it
  };
  std::vector<entity> entities;
  std::array<feature_mask, entity_type_count> wanted;
  bool single = false;  // GET of one entity: the entity object alone
  struct cache_store {
    std::string key;
    uint64_t ticket;
    size_t reply;
    size_t entity, key_index;
  };
  std::vector<cache_store> stores;  // replies the near cache takes
};

namespace {

http_response bad_request(std::string body) { return {400, std::move(body), "application/json", 0}; }

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
    .count();
}

/// The names of every served feature of `e` (all entities when nullopt), as a JSON array.
std::string valid_names(const served_catalogue& c, std::optional<entity_type> e) {
  std::string out = "[";
  for (size_t t = 0; t < entity_type_count; ++t) {
    if (e && static_cast<size_t>(*e) != t) continue;
    for (const auto& f : c.entities[t].features) {
      if (out.size() > 1) out += ',';
      append_json_string(out, f.name);
    }
  }
  return out + "]";
}

/// Points each entity's keys at their replies, then hands the replies of
/// cache misses to the near cache (it takes ownership); the job keeps a share
/// so that rendering can still read them.
void attach_replies(serve_loop& loop, feature_read_job& job, reply_span replies) {
  for (auto& ent : job.entities)
    for (size_t k = 0; k < ent.keys.size(); ++k)
      if (ent.reply_of_key[k] >= 0) ent.keys[k].reply = replies[static_cast<size_t>(ent.reply_of_key[k])];
  for (const auto& s : job.stores) {
    redisReply* r = replies[s.reply];
    if (r == nullptr || r->type == REDIS_REPLY_ERROR) {
      loop.cache->read_abandoned(s.key, s.ticket);
      continue;
    }
    auto shared = share_reply(r);
    replies[s.reply] = nullptr;
    loop.cache->read_done(s.key, s.ticket, shared);
    job.entities[s.entity].shared[s.key_index] = std::move(shared);
  }
  if (!job.stores.empty())
    loop.metrics.cache_entries.store(static_cast<int64_t>(loop.cache->size()), std::memory_order_relaxed);
}

/// Every reply `ent` renders from is shared with the near cache (so the render
/// memo may hold it).
bool all_shared(const feature_read_job::entity& ent) {
  for (size_t k = 0; k < ent.keys.size(); ++k)
    if (ent.keys[k].reply != nullptr && ent.shared[k].get() != ent.keys[k].reply) return false;
  return true;
}

/// Renders one entity from its replies (or copies the memo's rendering of these
/// very replies) and counts what it served.
void render_one(const served_catalogue& catalogue, serve_loop& loop, feature_read_job::entity& ent, const feature_mask& wanted,
                int64_t now_ms, std::string& out, std::vector<uint8_t>& present) {
  render_stats stats;
  const auto& served = catalogue.of(ent.type);
  auto t = static_cast<size_t>(ent.type);
  thread_local std::string memo_key;
  const rendered_entity* memo = nullptr;
  if (loop.memo) {
    render_memo::key_of(static_cast<uint8_t>(t), wanted, ent.id, memo_key);
    memo = loop.memo->find(memo_key, ent.keys);
  }
  if (memo != nullptr) {
    out += memo->body;
    stats = memo->stats;
    present = memo->present;
    loop.metrics.render_memo_hits.fetch_add(1, std::memory_order_relaxed);
  } else {
    size_t start = out.size();
    render_entity_body(served, ent.id, wanted, ent.keys, out, stats, present);
    if (loop.memo && all_shared(ent))
      loop.memo->store(memo_key, {ent.shared, out.substr(start), stats, present});
  }
  append_freshness(stats.freshness_ts, now_ms, out);
  auto& m = loop.metrics;
  for (size_t i = 0; i < wanted.size(); ++i) {
    if (wanted[i] == 0) continue;
    m.feature_requested[t][i].fetch_add(1, std::memory_order_relaxed);
    if (present[i] == 0) m.feature_absent[t][i].fetch_add(1, std::memory_order_relaxed);
  }
  if (stats.bad_values > 0) m.bad_values.fetch_add(stats.bad_values, std::memory_order_relaxed);
  if (stats.freshness_ts >= 0) m.freshness_ms.observe(static_cast<uint64_t>(std::max<int64_t>(0, now_ms - stats.freshness_ts)));
}

}  // namespace

feature_api::feature_api(const served_catalogue& catalogue, feature_api_options options)
  : catalogue_(catalogue), options_(options) {}

bool feature_api::select(const std::vector<std::string>& names, bool only_named,
                         std::array<feature_mask, entity_type_count>& out, std::optional<entity_type> single,
                         std::string& error_body_out) const {
  for (size_t t = 0; t < entity_type_count; ++t)
    out[t].assign(catalogue_.entities[t].features.size(), only_named ? 0 : 1);
  if (!only_named) return true;
  for (const auto& name : names) {
    bool known = false;
    for (size_t t = 0; t < entity_type_count; ++t) {
      if (single && static_cast<size_t>(*single) != t) continue;
      int i = catalogue_.entities[t].find(name);
      if (i >= 0) out[t][static_cast<size_t>(i)] = 1, known = true;
    }
    if (known) continue;
    std::string message = "unknown feature '" + name + "'";
    if (single) message += std::string(" for a ") + std::string(to_string(*single));
    error_body_out = "{\"error\":";
    append_json_string(error_body_out, message);
    error_body_out += ",\"valid\":" + valid_names(catalogue_, single) + "}";
    return false;
  }
  return true;
}

void feature_api::get_entity(serve_loop& loop, entity_type e, std::string_view id, std::string_view query,
                             const respond_fn& respond) const {
  if (auto why = entity_id_problem(id); !why.empty()) return respond(bad_request(error_body(why)));
  std::vector<std::string> names;
  bool only_named = false;
  std::string error;
  if (!parse_features_query(query, names, only_named, error)) return respond(bad_request(error_body(error)));
  auto job = std::make_shared<feature_read_job>();
  job->single = true;
  if (!select(names, only_named, job->wanted, e, error)) return respond(bad_request(std::move(error)));
  job->entities.push_back({e, std::string(id), {}, {}, {}});
  run(loop, job, respond);
}

void feature_api::post_batch(serve_loop& loop, std::string_view body, const respond_fn& respond) const {
  batch_request req;
  std::string error;
  if (!parse_batch_request(body, req, error)) return respond(bad_request(error_body(error)));
  size_t n = 0;
  for (const auto& ids : req.ids) n += ids.size();
  if (n > options_.max_batch)
    return respond(bad_request(error_body("batch of " + std::to_string(n) + " entities is over serve.max_batch ("
                                          + std::to_string(options_.max_batch) + ")")));
  auto job = std::make_shared<feature_read_job>();
  if (!select(req.features, req.has_features, job->wanted, std::nullopt, error))
    return respond(bad_request(std::move(error)));
  job->entities.reserve(n);
  for (size_t t = 0; t < entity_type_count; ++t)
    for (size_t i = 0; i < req.ids[t].size(); ++i) {
      if (auto why = entity_id_problem(req.ids[t][i]); !why.empty())
        return respond(bad_request(error_body(std::string(plural(static_cast<entity_type>(t))) + "["
                                              + std::to_string(i) + "]: " + why)));
      job->entities.push_back({static_cast<entity_type>(t), std::move(req.ids[t][i]), {}, {}, {}});
    }
  run(loop, job, respond);
}

void feature_api::run(serve_loop& loop, const std::shared_ptr<feature_read_job>& job,
                      const respond_fn& respond) const {
  std::string commands;
  size_t count = 0;
  std::vector<uint8_t> needed;
  bool caching = loop.cache && loop.cache->enabled() && loop.tracking_alive_ms != nullptr
                 && steady_ms() - loop.tracking_alive_ms->load(std::memory_order_relaxed)
                      <= invalidation_listener::alive_window.count();
  // Without tracking nothing read now can match the memo: let go of what it holds.
  if (!caching && loop.memo && loop.memo->size() > 0) loop.memo->clear();
  uint64_t hits = 0, misses = 0;
  for (size_t e = 0; e < job->entities.size(); ++e) {
    auto& ent = job->entities[e];
    const auto& served = catalogue_.of(ent.type);
    keys_to_read(served, job->wanted[static_cast<size_t>(ent.type)], needed, ent.keys);
    ent.reply_of_key.assign(served.keys.size(), -1);
    ent.shared.assign(served.keys.size(), nullptr);
    for (size_t k = 0; k < served.keys.size(); ++k) {
      if (needed[k] == 0) continue;
      if (caching && !ent.keys[k].ts_only) {
        thread_local std::string key;
        render_key(served.keys[k], ent.id, key);
        if (auto hit = loop.cache->find(key)) {
          ent.keys[k].reply = hit.get();
          ent.shared[k] = std::move(hit);
          ++hits;
          continue;
        }
        ++misses;
        auto ticket = loop.cache->reading(key);
        job->stores.push_back({key, ticket, count, e, k});
      }
      append_read_command(commands, served.keys[k], ent.id, ent.keys[k].ts_only);
      ent.reply_of_key[k] = static_cast<int32_t>(count++);
    }
  }
  if (hits > 0) loop.metrics.cache_hits.fetch_add(hits, std::memory_order_relaxed);
  if (misses > 0) loop.metrics.cache_misses.fetch_add(misses, std::memory_order_relaxed);
  auto render = [this, &loop, job, respond] {
    std::string out;
    out.reserve(256 * job->entities.size());
    auto now = wall_ms();
    std::vector<uint8_t> present;
    if (!job->single) out += '{';
    for (size_t t = 0; t < entity_type_count && !job->single; ++t) {
      if (t > 0) out += ',';
      append_json_string(out, plural(static_cast<entity_type>(t)));
      out += ":[";
      bool first = true;
      for (auto& ent : job->entities) {
        if (static_cast<size_t>(ent.type) != t) continue;
        if (!first) out += ',';
        first = false;
        render_one(catalogue_, loop, ent, job->wanted[t], now, out, present);
      }
      out += ']';
    }
    if (job->single)
      render_one(catalogue_, loop, job->entities[0], job->wanted[static_cast<size_t>(job->entities[0].type)], now,
                 out, present);
    else out += '}';
    respond({200, std::move(out), "application/json", 0});
  };
  if (count == 0) return render();
  auto deadline = steady_clock::now() + options_.deadline;
  loop.read(commands, count, deadline,
            [&loop, job, render = std::move(render), respond, this](reply_span replies,
                                                                    std::string_view error) {
              if (error.empty()) {
                loop.metrics.redis_round_trips.fetch_add(1, std::memory_order_relaxed);
                attach_replies(loop, *job, replies);
                return render();
              }
              for (const auto& s : job->stores) loop.cache->read_abandoned(s.key, s.ticket);
              bool late = error.starts_with("deadline");
              (late ? loop.metrics.redis_deadlines : loop.metrics.redis_errors)
                .fetch_add(1, std::memory_order_relaxed);
              respond({503, error_body(redis_failure(error, options_.deadline)), "application/json", 1});
            });
}

}  // namespace rtfeat::serve

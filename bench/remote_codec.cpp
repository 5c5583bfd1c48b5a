// Which wire form should a reader -> remote shard event batch take? Serializes
// and deserializes real generated batches as a whole CAF message (what the BASP
// broker does on each side of a link) in three forms: CAF's binary serializer
// field by field, a msgpack blob in a std::string, and rtfeat's compact blob
// (the form the engine uses, actors/message_inspect.hpp). Single thread, no
// network. Prints one JSON object; docs/cluster.md has the numbers.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <msgpack.hpp>

#include "actors/message_types.hpp"
#include "actors/messages.hpp"
#include "caf/all.hpp"
#include "runtime/event_parser.hpp"
#include "runtime/tools/gen/event_generator.hpp"

namespace rtfeat {

/// event_batch as CAF would send it with a plain field-by-field inspect().
struct fieldwise_batch {
  event_batch b;
};
/// event_batch packed with msgpack into a string.
struct msgpack_batch {
  std::string blob;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, event& x) {
  auto kind = static_cast<uint8_t>(x.kind);
  return f(caf::meta::type_name("event"), x.user_id, x.item_id, x.region, x.campaign_id, x.ts, x.category_id,
           x.price, x.amount, kind, x.has_category, x.has_price, x.has_amount,
           caf::meta::load_callback([&]() -> caf::error {
             x.kind = static_cast<behavior>(kind);
             return caf::none;
           }));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, routed_event& x) {
  return f(caf::meta::type_name("routed_event"), x.ev, x.wm_at_read, x.scopes);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fieldwise_batch& x) {
  return f(caf::meta::type_name("fieldwise_batch"), x.b.reader, x.b.watermark, x.b.events);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, msgpack_batch& x) {
  return f(caf::meta::type_name("msgpack_batch"), x.blob);
}

namespace {

using wall = std::chrono::steady_clock;

std::string pack(const event_batch& b) {
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> p(buf);
  p.pack_array(3);
  p.pack(b.reader);
  p.pack(b.watermark);
  p.pack_array(static_cast<uint32_t>(b.events.size()));
  for (const auto& r : b.events) {
    const auto& e = r.ev;
    p.pack_array(12);
    p.pack(r.wm_at_read), p.pack(r.scopes), p.pack(static_cast<uint8_t>(e.kind));
    p.pack(e.user_id), p.pack(e.item_id), p.pack(e.region), p.pack(e.campaign_id);
    p.pack(e.ts), p.pack(e.category_id);
    e.has_category ? p.pack(e.category_id) : p.pack_nil();
    e.has_price ? p.pack(e.price) : p.pack_nil();
    e.has_amount ? p.pack(e.amount) : p.pack_nil();
  }
  return {buf.data(), buf.size()};
}

event_batch unpack(const std::string& blob) {
  auto handle = msgpack::unpack(blob.data(), blob.size());
  const auto& top = handle.get().via.array;
  event_batch b;
  b.reader = top.ptr[0].as<uint32_t>();
  b.watermark = top.ptr[1].as<int64_t>();
  const auto& events = top.ptr[2].via.array;
  b.events.resize(events.size);
  for (uint32_t i = 0; i < events.size; ++i) {
    const auto* f = events.ptr[i].via.array.ptr;
    auto& r = b.events[i];
    r.wm_at_read = f[0].as<int64_t>(), r.scopes = f[1].as<uint32_t>();
    r.ev.kind = static_cast<behavior>(f[2].as<uint8_t>());
    f[3].convert(r.ev.user_id), f[4].convert(r.ev.item_id), f[5].convert(r.ev.region), f[6].convert(r.ev.campaign_id);
    r.ev.ts = f[7].as<int64_t>(), r.ev.category_id = f[8].as<int64_t>();
    r.ev.has_category = !f[9].is_nil();
    if ((r.ev.has_price = !f[10].is_nil())) r.ev.price = f[10].as<double>();
    if ((r.ev.has_amount = !f[11].is_nil())) r.ev.amount = f[11].as<double>();
  }
  return b;
}

std::vector<event_batch> make_batches(size_t batches, size_t per_batch) {
  gen_config gc;
  gc.malformed = 0;
  event_generator gen(gc);
  event_parser parser;
  std::vector<event_batch> out(batches);
  for (auto& b : out) {
    b.watermark = gc.start_ts;
    while (b.events.size() < per_batch) {
      routed_event r;
      if (parser.parse(gen.next().text, r.ev)) continue;
      r.wm_at_read = r.ev.ts - 5000;
      r.scopes = 1;
      b.events.push_back(std::move(r));
    }
  }
  return out;
}

struct result {
  double ser_us = 0, deser_us = 0;  // per batch
  size_t bytes = 0;                 // per batch, whole message
};

/// `make` turns a batch into the message to send, `take` reads the received one back into a batch.
template <class Make, class Take>
result measure(caf::actor_system& sys, const std::vector<event_batch>& batches, int rounds, Make make, Take take) {
  result r;
  double ser = 0, deser = 0;
  size_t bytes = 0, n = 0, events = 0;
  for (int round = 0; round < rounds; ++round)
    for (const auto& b : batches) {
      std::vector<char> buf;
      auto t0 = wall::now();
      auto msg = make(b);
      caf::binary_serializer sink{sys, buf};
      if (sink(msg)) throw std::runtime_error("serialize failed");
      auto t1 = wall::now();
      caf::message got;
      caf::binary_deserializer source{sys, buf};
      if (source(got)) throw std::runtime_error("deserialize failed");
      events += take(got).events.size();
      auto t2 = wall::now();
      ser += std::chrono::duration<double, std::micro>(t1 - t0).count();
      deser += std::chrono::duration<double, std::micro>(t2 - t1).count();
      bytes += buf.size(), ++n;
    }
  if (events != n * batches[0].events.size()) throw std::runtime_error("events lost");
  r.ser_us = ser / static_cast<double>(n);
  r.deser_us = deser / static_cast<double>(n);
  r.bytes = bytes / n;
  return r;
}

}  // namespace
}  // namespace rtfeat

int main(int argc, char** argv) {
  using namespace rtfeat;
  size_t batches = 200, per_batch = 1024;
  int rounds = 5;
  CLI::App app{"remote batch wire forms: CAF field by field vs msgpack blob vs rtfeat blob"};
  app.add_option("--batches", batches, "distinct batches")->capture_default_str();
  app.add_option("--events", per_batch, "events per batch (engine.batch_events)")->capture_default_str();
  app.add_option("--rounds", rounds, "passes over the batches")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  caf::actor_system_config cfg;
  register_message_types(cfg);
  cfg.add_message_type<fieldwise_batch>("bench::fieldwise_batch");
  cfg.add_message_type<msgpack_batch>("bench::msgpack_batch");
  cfg.set("logger.verbosity", caf::atom("quiet"));
  caf::actor_system sys{cfg};
  auto data = make_batches(batches, per_batch);
  auto fields = measure(sys, data, rounds, [](const event_batch& b) { return caf::make_message(fieldwise_batch{b}); },
                        [](caf::message& m) { return std::move(m.get_mutable_as<fieldwise_batch>(0).b); });
  auto packed = measure(sys, data, rounds, [](const event_batch& b) { return caf::make_message(msgpack_batch{pack(b)}); },
                        [](caf::message& m) { return unpack(m.get_as<msgpack_batch>(0).blob); });
  auto blob = measure(sys, data, rounds, [](const event_batch& b) { return caf::make_message(b); },
                      [](caf::message& m) { return std::move(m.get_mutable_as<event_batch>(0)); });
  auto per_event_ns = [&](const result& r) { return (r.ser_us + r.deser_us) * 1000.0 / static_cast<double>(per_batch); };
  std::printf("{\"events_per_batch\": %zu, \"batches\": %zu, \"rounds\": %d", per_batch, batches, rounds);
  for (auto [name, r] : {std::pair{"caf_fields", fields}, std::pair{"msgpack_blob", packed}, std::pair{"rtfeat_blob", blob}})
    std::printf(", \"%s\": {\"bytes\": %zu, \"ser_us\": %.1f, \"deser_us\": %.1f, \"ns_per_event\": %.1f}", name, r.bytes,
                r.ser_us, r.deser_us, per_event_ns(r));
  std::printf("}\n");
  return 0;
}

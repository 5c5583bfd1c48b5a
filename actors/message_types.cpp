// Message type registration and the event batch wire form (see
// message_types.hpp and message_inspect.hpp): reader, watermark, count, then
// per event its reader watermark, scope mask and the event (event_codec).
#include "actors/message_types.hpp"

#include "caf/actor_system_config.hpp"
#include "actors/cluster_messages.hpp"
#include "actors/messages.hpp"
#include "runtime/codec/event_codec.hpp"

namespace rtfeat {

namespace {
constexpr uint64_t batch_format = 1;
constexpr size_t min_event_bytes = 9;  // wm, scopes, flags, four empty strings, ts, category
}  // namespace

std::string encode_event_batch(const event_batch& b) {
  std::string out;
  out.reserve(16 + b.events.size() * 64);
  byte_writer w(out);
  w.u64(batch_format);
  w.u64(b.reader);
  w.i64(b.watermark);
  w.u64(b.events.size());
  for (const auto& e : b.events) {
    w.i64(e.wm_at_read);
    w.u64(e.scopes);
    write_event(w, e.ev);
  }
  return out;
}

bool decode_event_batch(std::string_view bytes, event_batch& out) {
  byte_reader r(bytes);
  if (r.u64() != batch_format) return false;
  out.reader = static_cast<uint32_t>(r.u64());
  out.watermark = r.i64();
  auto n = r.u64();
  if (!r.ok() || n > r.remaining() / min_event_bytes) return false;
  out.events.clear();
  out.events.resize(n);
  for (auto& e : out.events) {
    e.wm_at_read = r.i64();
    e.scopes = static_cast<uint32_t>(r.u64());
    if (!read_event(r, e.ev)) return false;
  }
  return r.ok() && r.remaining() == 0;
}

void register_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<event_batch>("rtfeat::event_batch");
  cfg.add_message_type<reader_end>("rtfeat::reader_end");
  cfg.add_message_type<barrier_marker>("rtfeat::barrier_marker");
  cfg.add_message_type<reader_position>("rtfeat::reader_position");
  cfg.add_message_type<snapshot_written>("rtfeat::snapshot_written");
  cfg.add_message_type<node_hello>("rtfeat::node_hello");
}

}  // namespace rtfeat

// inspect() of the message types that cross nodes (CAF 0.17 signature: result_type,
// non-const reference), included by messages.hpp. event_batch travels as one
// compact blob (runtime/codec/event_codec): CAF's serializer handles every field
// separately and is several times slower (bench/remote_codec, docs/cluster.md).
// Every process registers these types in register_message_types().
#pragma once

#include <string>
#include <string_view>
#include <type_traits>

#include "caf/error.hpp"
#include "caf/meta/load_callback.hpp"
#include "caf/meta/type_name.hpp"
#include "caf/sec.hpp"

namespace rtfeat {

struct event_batch;

/// The wire form of an event batch (defined in message_types.cpp).
std::string encode_event_batch(const event_batch& b);
/// False on malformed input (a batch from a foreign or broken peer); never throws.
bool decode_event_batch(std::string_view bytes, event_batch& out);

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, event_batch& x) {
  if constexpr (std::is_same_v<typename Inspector::result_type, void>) {
    return f(caf::meta::type_name("event_batch"), x.reader, x.watermark, x.events.size());  // to_string
  } else if constexpr (Inspector::reads_state) {
    auto blob = encode_event_batch(x);
    return f(caf::meta::type_name("event_batch"), blob);
  } else {
    std::string blob;
    auto decode = [&]() -> caf::error {
      if (decode_event_batch(blob, x)) return caf::none;
      return caf::make_error(caf::sec::invalid_argument, "malformed rtfeat event batch");
    };
    // The load callback runs after `blob` has been read.
    return f(caf::meta::type_name("event_batch"), blob, caf::meta::load_callback(decode));
  }
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reader_end& x) {
  return f(caf::meta::type_name("reader_end"), x.reader, x.watermark);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, barrier_marker& x) {
  return f(caf::meta::type_name("barrier_marker"), x.reader, x.id);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reader_position& x) {
  return f(caf::meta::type_name("reader_position"), x.id, x.partition, x.next_offset, x.watermark,
           x.future_suspect);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, snapshot_entry& x) {
  return f(caf::meta::type_name("snapshot_entry"), x.key_group, x.file, x.size, x.crc, x.stored_in);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, checkpoint_phases& x) {
  return f(caf::meta::type_name("checkpoint_phases"), x.align_ms, x.encode_ms, x.write_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, snapshot_written& x) {
  return f(caf::meta::type_name("snapshot_written"), x.id, x.ok, x.error, x.entries, x.phases);
}

}  // namespace rtfeat

// libFuzzer target: the event batch blob a peer node sends (actors/message_inspect.hpp)
// through decode_event_batch. A batch that decodes must encode back to a batch
// that decodes to the same events.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "actors/messages.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rtfeat::event_batch batch;
  if (!rtfeat::decode_event_batch(std::string_view(reinterpret_cast<const char*>(data), size), batch)) return 0;
  rtfeat::event_batch again;
  if (!rtfeat::decode_event_batch(rtfeat::encode_event_batch(batch), again)) std::abort();
  if (again.events.size() != batch.events.size() || again.watermark != batch.watermark) std::abort();
  return 0;
}

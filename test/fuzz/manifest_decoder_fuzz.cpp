// libFuzzer target: a checkpoint manifest (manifest.json) through decode_manifest.
// A manifest that decodes must encode to one that decodes again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "runtime/checkpoint/manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rtfeat::checkpoint_manifest m;
  std::string error;
  if (!rtfeat::decode_manifest(std::string_view(reinterpret_cast<const char*>(data), size), m, error)) return 0;
  rtfeat::checkpoint_manifest again;
  if (!rtfeat::decode_manifest(rtfeat::encode_manifest(m), again, error)) std::abort();
  return 0;
}

// libFuzzer target: a key group's snapshot file (kg-<n>.snap) through the header
// check, the reservation from its entity counts and the shard body decoder, into
// the feature states of the sample catalogue (config/features.toml), as a restore
// does. The body is decoded whatever its CRC says, so that the fuzzer reaches
// every feature's load().
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/feature_catalogue.hpp"
#include "runtime/checkpoint/shard_state_codec.hpp"
#include "runtime/checkpoint/snapshot_file.hpp"
#include "runtime/features/feature_plan.hpp"

namespace {

const rtfeat::feature_plan& sample_plan() {
  static const rtfeat::feature_plan plan = [] {
    rtfeat::feature_catalogue catalogue;
    std::string error;
    if (!rtfeat::load_feature_catalogue(RTFEAT_SOURCE_DIR "/config/features.toml", catalogue, error)) std::abort();
    return rtfeat::build_feature_plan(catalogue);
  }();
  return plan;
}

// Fresh states for each input: load() adds to what is there.
void decode_into(bool user_shard, std::string_view body) {
  std::vector<rtfeat::feature_scope> scopes;
  std::vector<std::string> names;
  auto states = rtfeat::make_feature_states(sample_plan(), user_shard, scopes, &names);
  std::vector<rtfeat::named_state> named;
  for (size_t i = 0; i < states.size(); ++i) named.push_back({names[i], states[i].get()});
  int64_t watermark = 0;
  uint64_t seq = 0;
  std::vector<std::string> dropped;
  std::string error;
  rtfeat::reserve_shard_state({body}, named);  // a corrupt entity count must not reserve gigabytes
  rtfeat::decode_shard_state(body, named, watermark, seq, dropped, error);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view file(reinterpret_cast<const char*>(data), size);
  rtfeat::snapshot_header header;
  std::string error;
  rtfeat::decode_snapshot_header(file, size, "fuzz.snap", header, error);
  auto body = file.substr(std::min(size, rtfeat::snapshot_header_size));
  decode_into(true, body);
  decode_into(false, body);
  return 0;
}

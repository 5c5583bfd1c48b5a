// libFuzzer target: one TOML file read as rtfeat.toml (load_job_config) and as
// features.toml (load_feature_catalogue); a catalogue that loads is compiled into
// the engine's plan and its feature states, as a node does at start. The loaders
// take paths, so the input goes through a file in a private temporary directory.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "config/feature_catalogue.hpp"
#include "config/job_config.hpp"
#include "runtime/features/feature_plan.hpp"

namespace {

const std::string& input_path() {
  static const std::string path = [] {
    const char* tmp = std::getenv("TMPDIR");  // scripts/fuzz gives each run its own
    std::string dir = std::string(tmp != nullptr ? tmp : "/tmp") + "/rtfeat-config-fuzz-XXXXXX";
    if (mkdtemp(dir.data()) == nullptr) std::abort();
    return dir + "/input.toml";
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& path = input_path();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  std::string error;
  rtfeat::job_config cfg;
  rtfeat::load_job_config(path, {}, cfg, error);
  rtfeat::feature_catalogue catalogue;
  if (!rtfeat::load_feature_catalogue(path, catalogue, error)) return 0;
  auto plan = rtfeat::build_feature_plan(catalogue);
  std::vector<rtfeat::feature_scope> scopes;
  rtfeat::make_feature_states(plan, true, scopes);
  rtfeat::make_feature_states(plan, false, scopes);
  return 0;
}

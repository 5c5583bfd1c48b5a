// Internal to the catalogue loader: TOML helpers that turn a node into a part
// of a feature_def, failing with the node's line. Not for use elsewhere.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "config/feature_catalogue.hpp"

namespace rtfeat::catalogue_parse {

/// Thrown inside the loader only; load_feature_catalogue turns it into "file:line: message".
struct error {
  int line;
  std::string message;
};

[[noreturn]] void fail(const toml::node& n, std::string msg);

std::string get_string(const toml::table& t, std::string_view key, bool required, const toml::node& owner);
int64_t get_duration(const toml::table& t, std::string_view key, bool required, const toml::node& owner);
void check_keys(const toml::table& t, std::initializer_list<std::string_view> allowed, std::string_view what);

/// A behaviour name -> its rtfeat::behavior value; fails at `n` when unknown.
uint8_t behavior_value(const toml::node& n);

std::vector<band_def> parse_bands(const toml::node& n);
window_def parse_window(const toml::node& n);
output_def parse_output(const toml::node& n, std::string_view what);
std::vector<uint8_t> parse_behaviors(const toml::node& n, std::string_view what);
/// The largest |weight|: a weighted amount is then at most 1e25 units.
inline constexpr int64_t max_abs_weight = 1000;

/// Weights per behaviour; each an integer within ±max_abs_weight.
std::vector<int64_t> parse_weights(const toml::node& n);

}  // namespace rtfeat::catalogue_parse

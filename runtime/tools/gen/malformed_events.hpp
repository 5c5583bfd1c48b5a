// The kinds of broken payloads `rtfeat gen` mixes into its traffic, each made
// from a valid event line, and the reject reason SPEC §2's validation must give.
// Every kind is rejected by event_parser; the unit tests hold both to that.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "runtime/reject_reason.hpp"

namespace rtfeat {

enum class malformed_kind : uint8_t {
  truncated_json,  // a proper prefix of a valid line
  not_object,      // [1,2], null, a number, a string, or the event inside an array
  missing_user_id,
  null_user_id,
  empty_user_id,     // "user_id":""
  ts_string,         // "ts":"1767225600123"
  ts_float,          // "ts":1767225600123.5
  unknown_behavior,  // "buy", ...
  ts_1990,
  ts_2100,
  click_without_item,
  category_string,  // "category_id":"17"
  oversize,         // 64 KiB + 1 .. 68 KiB through a huge query string
};

inline constexpr size_t malformed_kind_count = 13;

using malformed_counts = std::array<uint64_t, malformed_kind_count>;

std::string_view to_string(malformed_kind kind);

/// What event_parser::parse must answer for a line of this kind.
reject_reason expected_reason(malformed_kind kind);

/// Turns `line`, a valid event as written by event_generator (one JSON object,
/// fields in its order, string values without quotes or commas), into a
/// malformed line of `kind`. Draws from `rng` as the kind needs.
void make_malformed(malformed_kind kind, std::string& line, std::mt19937_64& rng);

}  // namespace rtfeat

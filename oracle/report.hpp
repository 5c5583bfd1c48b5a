// What `rtfeat oracle` writes besides its summary: the numbers as JSON
// (--stats, for scripts and benches) and the expected state as text (--dump).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "oracle/expected_state.hpp"
#include "oracle/redis_diff.hpp"

namespace rtfeat::oracle {

/// Expected keys per value_type.
std::array<uint64_t, value_type_count> keys_by_type(const expected_state& state);

/// {"lines":..,"accepted":..,"rejected":..,"rejected_by_reason":{..},"late":..,
///  "kept":..,"final_watermark":..|null,"expected_keys":..,
///  "expected_keys_by_type":{"hash":..,"list":..,"zset":..,"string":..,"hyperloglog":..},
///  "differences":..|null,"differences_by_type":{..same types..,"other":..}|null}
/// `diff` is null when Redis was not compared.
std::string stats_json(const expected_state& state, const diff_result* diff);

/// One line per key in key order: `<key> ttl=<s>|none <type> <content>`, content:
/// hash `f=v ...` by field; list `v ...` head first; zset `m=score ...` in ZRANGE
/// order; string `<text>`; hyperloglog `<n> m ...` by member.
std::string dump_text(const expected_state& state);

/// Writes `text` to `path`; false with a message naming the file on failure.
bool write_text_file(const std::string& path, const std::string& text, std::string& error);

}  // namespace rtfeat::oracle

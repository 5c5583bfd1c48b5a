// What `rtfeat oracle` writes besides its summary: the numbers as JSON
// (--stats, for scripts and benches) and the expected state as text (--dump).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "oracle/expected_state.hpp"

namespace rtfeat::oracle {

/// {"lines":..,"accepted":..,"rejected":..,"rejected_by_reason":{..},"late":..,
///  "kept":..,"final_watermark":..|null,"expected_keys":..,"differences":..|null}
std::string stats_json(const expected_state& state, std::optional<uint64_t> differences);

/// One line per key in key order: `<key> ttl=<s>|none <field>=<value> ...`,
/// fields in field order.
std::string dump_text(const expected_state& state);

/// Writes `text` to `path`; false with a message naming the file on failure.
bool write_text_file(const std::string& path, const std::string& text, std::string& error);

}  // namespace rtfeat::oracle

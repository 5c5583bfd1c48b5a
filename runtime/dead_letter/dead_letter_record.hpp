// One dead letter as one line of JSON that any JSON reader accepts, whatever
// the event's bytes were: at most `max_payload_bytes` of the payload are kept,
// as text when they are valid UTF-8 and as base64 otherwise, with the original
// size and SHA-256 so the full event can still be matched in the source log.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/reject_reason.hpp"

namespace rtfeat {

/// {"reason":..,"topic":..,"partition":..,"offset":..,"payload_bytes":<original size>,
///  "payload_sha256":<hex of the whole original payload>,"payload_truncated":<bool>,
///  "payload_encoding":"utf8"|"base64","payload":<the kept bytes>} — no newline.
/// "utf8": the kept bytes are the payload's first bytes, cut at a character
/// boundary, as a JSON string. "base64": they are not valid UTF-8; the string
/// is the standard base64 (RFC 4648, padded) of the first `max_payload_bytes`.
std::string dead_letter_record(reject_reason reason, std::string_view topic, int32_t partition,
                               int64_t offset, std::string_view payload, size_t max_payload_bytes);

/// `record` with "dlq_error":`error` added as its last field: the reason the
/// Kafka DLQ refused it, for the copy that goes to the local file instead.
/// REQUIRES: `record` is a JSON object (ends with '}').
std::string with_dlq_error(std::string_view record, std::string_view error);

}  // namespace rtfeat

// Dead-letter records (see dead_letter_record.hpp).
#include "runtime/dead_letter/dead_letter_record.hpp"

#include "runtime/checkpoint/manifest_json.hpp"
#include "runtime/dead_letter/payload_text.hpp"

namespace rtfeat {

std::string dead_letter_record(reject_reason reason, std::string_view topic, int32_t partition,
                               int64_t offset, std::string_view payload, size_t max_payload_bytes) {
  std::string_view kept = utf8_prefix(payload, max_payload_bytes);
  const bool text = is_valid_utf8(kept);
  if (!text) kept = payload.substr(0, max_payload_bytes);
  std::string out = "{\"reason\":\"";
  out += to_string(reason);
  out += "\",\"topic\":";
  json_append_string(out, topic);  // from the config: TOML strings are UTF-8
  out += ",\"partition\":" + std::to_string(partition) + ",\"offset\":" + std::to_string(offset);
  out += ",\"payload_bytes\":" + std::to_string(payload.size());
  out += ",\"payload_sha256\":\"" + sha256_hex(payload) + "\"";
  out += kept.size() < payload.size() ? ",\"payload_truncated\":true" : ",\"payload_truncated\":false";
  out += text ? ",\"payload_encoding\":\"utf8\",\"payload\":" : ",\"payload_encoding\":\"base64\",\"payload\":\"";
  if (text) {
    json_append_string(out, kept);
  } else {
    out += base64(kept);
    out += '"';
  }
  out += '}';
  return out;
}

std::string with_dlq_error(std::string_view record, std::string_view error) {
  std::string out(record.substr(0, record.size() - 1));
  out += ",\"dlq_error\":";
  // librdkafka's messages are ASCII; anything else would break the line.
  json_append_string(out, is_valid_utf8(error) ? error : std::string_view("(not UTF-8)"));
  out += '}';
  return out;
}

}  // namespace rtfeat

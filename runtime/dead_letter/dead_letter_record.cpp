// Dead-letter records (see dead_letter_record.hpp).
#include "runtime/dead_letter/dead_letter_record.hpp"

#include <cstdio>

#include "runtime/dead_letter/payload_text.hpp"

namespace rtfeat {

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  out += '"';
}

std::string dead_letter_record(reject_reason reason, std::string_view topic, int32_t partition,
                               int64_t offset, std::string_view payload, size_t max_payload_bytes) {
  std::string_view kept = utf8_prefix(payload, max_payload_bytes);
  const bool text = is_valid_utf8(kept);
  if (!text) kept = payload.substr(0, max_payload_bytes);
  std::string out = "{\"reason\":\"";
  out += to_string(reason);
  out += "\",\"topic\":";
  append_json_string(out, topic);  // from the config: TOML strings are UTF-8
  out += ",\"partition\":" + std::to_string(partition) + ",\"offset\":" + std::to_string(offset);
  out += ",\"payload_bytes\":" + std::to_string(payload.size());
  out += ",\"payload_sha256\":\"" + sha256_hex(payload) + "\"";
  out += kept.size() < payload.size() ? ",\"payload_truncated\":true" : ",\"payload_truncated\":false";
  out += text ? ",\"payload_encoding\":\"utf8\",\"payload\":" : ",\"payload_encoding\":\"base64\",\"payload\":\"";
  if (text) {
    append_json_string(out, kept);
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
  append_json_string(out, is_valid_utf8(error) ? error : std::string_view("(not UTF-8)"));
  out += '}';
  return out;
}

}  // namespace rtfeat

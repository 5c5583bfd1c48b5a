// The dead-letter sink (SPEC §2): every rejected event, with its reason and
// origin, to a JSONL file (default) or to the Kafka topic <topic>.dlq. A dead
// letter the topic refuses goes to the file instead, with the refusal: none is
// ever dropped (record format: dead_letter_record.hpp, docs/config.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "runtime/reject_reason.hpp"

namespace rtfeat {

class dead_letter_writer {
public:
  virtual ~dead_letter_writer() = default;
  /// Runs in: the dead-letter actor. Returns false when the record could not be written.
  virtual bool write(reject_reason reason, int32_t partition, int64_t offset,
                     std::string_view payload) = 0;
  /// Makes everything written so far durable (file flush / Kafka flush).
  virtual bool flush() = 0;
  virtual std::string last_error() const = 0;
  /// What the node's final report should say about this sink (dead letters the
  /// topic refused and where they went); empty when there is nothing to say.
  virtual std::string summary() const { return {}; }
};

struct dead_letter_settings {
  std::string topic;               // the source topic: named in every record; the DLQ is <topic>.dlq
  std::string path;                // the JSONL file: the sink, or where the DLQ's refusals go
  size_t max_payload_bytes = 65536;  // bytes of the event kept in its record
  std::string bootstrap;           // kind kafka: the brokers of the DLQ topic
  int64_t kafka_max_message_bytes = 1000000;  // kind kafka: larger records are refused (topic limit)
};

/// Returns nullptr and sets `error` when the file cannot be opened.
std::unique_ptr<dead_letter_writer> open_dead_letter_file(const dead_letter_settings& s, std::string& error);
/// Opens the producer of <topic>.dlq and, for what it refuses, the file `s.path`.
std::unique_ptr<dead_letter_writer> open_dead_letter_topic(const dead_letter_settings& s, std::string& error);

}  // namespace rtfeat

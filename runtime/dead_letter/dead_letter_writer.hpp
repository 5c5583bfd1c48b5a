// The dead-letter sink (SPEC §2): every rejected event, with its reason and
// origin, to a JSONL file (default) or to the Kafka topic <topic>.dlq.
#pragma once

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
};

/// One JSON object per line: {"reason":..,"topic":..,"partition":..,"offset":..,"payload":".."}.
std::string dead_letter_record(reject_reason reason, std::string_view topic, int32_t partition,
                               int64_t offset, std::string_view payload);

std::unique_ptr<dead_letter_writer> open_dead_letter_file(const std::string& path,
                                                          const std::string& topic,
                                                          std::string& error);
std::unique_ptr<dead_letter_writer> open_dead_letter_topic(const std::string& bootstrap,
                                                           const std::string& topic,
                                                           std::string& error);

}  // namespace rtfeat

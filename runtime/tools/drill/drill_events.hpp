// The drill's input: a JSONL log, generated (`rtfeat gen`'s generator, seeded)
// into the work dir or recorded (--from); producing it to Kafka as `rtfeat
// produce` does, unless the nodes read it through the file source; and the check
// that Kafka still holds every event, since the mock silently drops the oldest
// ones of a full partition.
#pragma once

#include <cstdint>
#include <string>

#include "runtime/tools/drill/drill_options.hpp"

namespace rtfeat {

struct drill_input {
  std::string events_file;  // what the oracle recomputes from, and the file source reads
  uint64_t events = 0;      // its lines
  double seconds = 0;       // generating and producing them
};

/// The number of lines of `path` as `rtfeat produce` sends them (a last line
/// without a newline counts too), to size the drill before producing anything.
bool count_lines(const std::string& path, uint64_t& lines, std::string& error);

/// Writes o.events generated events (seeded with o.seed) to `path`.
bool generate_drill_events(const drill_options& o, const std::string& path, drill_input& out,
                           std::string& error);

/// Produces every line of in.events_file to `topic`, keyed by user_id, and waits
/// for every delivery; progress lines with rates on stderr.
bool produce_drill_events(const std::string& bootstrap, const std::string& topic, drill_input& in,
                          std::string& error);

/// True when every partition of `topic` still starts at offset 0 and the
/// partitions hold `events` messages in all; `in_kafka` is what they hold. The
/// error names the partition that dropped messages and what to do about it.
bool check_topic_holds(const std::string& bootstrap, const std::string& topic, uint32_t partitions,
                       uint64_t events, uint64_t& in_kafka, std::string& error);

}  // namespace rtfeat

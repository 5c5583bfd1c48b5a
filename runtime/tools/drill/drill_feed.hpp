// What the drill's nodes read and how fast: the log (generated or --from) is
// counted per partition first; when the Kafka mock could not hold a partition of
// it the nodes read it through the file source (source.kind = file) instead of
// the drill refusing it, else it is produced to the mock. The counts set the
// default pace, so that a disrupted drill does not drain before its plan.
#pragma once

#include <cstdint>
#include <string>

#include "runtime/tools/drill/drill_events.hpp"
#include "runtime/tools/drill/drill_options.hpp"
#include "runtime/tools/drill/drill_report.hpp"
#include "runtime/tools/drill/drill_services.hpp"
#include "runtime/tools/drill/partition_load.hpp"

namespace rtfeat {

struct drill_feed {
  drill_input input;
  partition_load load;
  bool through_file = false;  // the nodes read input.events_file, not Kafka
};

/// Generates the events into `work_dir` (or takes --from, of `from_lines` lines),
/// counts them per partition and picks the source (r.source_kind and _why; one
/// line on stderr when it is the file).
bool prepare_drill_feed(const drill_options& o, uint64_t from_lines, uint32_t partitions,
                        const std::string& work_dir, drill_feed& feed, drill_report& r,
                        std::string& error);

/// Unless the feed goes through the file: starts the Kafka mock, produces the
/// log to `topic` and checks that the mock kept all of it (r.events_in_kafka).
bool produce_drill_feed(const std::string& work_dir, const std::string& topic, uint32_t partitions,
                        drill_services& services, drill_feed& feed, drill_report& r,
                        std::string& error);

/// The nodes' pace (drill_rate), in r.rate_per_partition and r.rate_defaulted;
/// one line on stderr when the drill chose it.
int64_t pace_drill_feed(const drill_options& o, const drill_feed& feed, drill_report& r);

}  // namespace rtfeat

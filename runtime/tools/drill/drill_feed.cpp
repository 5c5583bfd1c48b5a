// The drill's log on its way to the nodes (see drill_feed.hpp).
#include "runtime/tools/drill/drill_feed.hpp"

#include <cinttypes>
#include <cstdio>

namespace rtfeat {

bool prepare_drill_feed(const drill_options& o, uint64_t from_lines, uint32_t partitions,
                        const std::string& work_dir, drill_feed& feed, drill_report& r,
                        std::string& error) {
  auto& in = feed.input;
  if (o.from.empty()) {
    if (!generate_drill_events(o, work_dir + "/events.jsonl", in, error)) return false;
  } else {
    in.events_file = o.from, in.events = from_lines;
  }
  if (!count_partition_load(in.events_file, partitions, feed.load, error)) return false;
  auto overflow = mock_kafka_overflow(feed.load);
  feed.through_file = overflow.has_value();
  r.source_kind = feed.through_file ? "file" : "kafka";
  r.source_kind_why = overflow.value_or("");
  if (feed.through_file)
    std::fprintf(stderr, "drill: %s: the nodes read the log through the file source instead\n",
                 overflow->c_str());
  return true;
}

bool produce_drill_feed(const std::string& work_dir, const std::string& topic, uint32_t partitions,
                        drill_services& services, drill_feed& feed, drill_report& r,
                        std::string& error) {
  if (feed.through_file) return true;
  return services.start_kafka(work_dir, topic, partitions, error)
         && produce_drill_events(services.bootstrap(), topic, feed.input, error)
         && check_topic_holds(services.bootstrap(), topic, partitions, feed.input.events,
                              r.events_in_kafka, error);
}

int64_t pace_drill_feed(const drill_options& o, const drill_feed& feed, drill_report& r) {
  r.rate_per_partition = drill_rate(o, feed.load, r.rate_defaulted);
  if (r.rate_defaulted)
    std::fprintf(
      stderr,
      "drill: readers paced at %" PRId64
      " events/s per partition, for a plan of %.0f s of reading, so that the cluster "
      "does not drain before the kills, rescale and membership changes are done; its "
      "fullest partition (%u, %" PRIu64
      " events) then lasts %.0f s (--rate N sets the pace, --rate 0 = unpaced)\n",
      r.rate_per_partition, planned_reading_s(o), feed.load.fullest(), feed.load.max_events(),
      static_cast<double>(feed.load.max_events()) / static_cast<double>(r.rate_per_partition));
  return r.rate_per_partition;
}

}  // namespace rtfeat

// The drill's log, producing it and checking Kafka kept it (see drill_events.hpp).
#include "runtime/tools/drill/drill_events.hpp"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "runtime/kafka/consumer.hpp"
#include "runtime/kafka/producer.hpp"
#include "runtime/tools/drill/drill_run.hpp"
#include "runtime/tools/gen/event_generator.hpp"
#include "runtime/tools/kafka/line_producer.hpp"
#include "runtime/tools/progress_meter.hpp"

namespace rtfeat {

namespace {

void print_progress(progress_meter& progress, uint64_t done, uint64_t total) {
  if (!progress.due()) return;
  std::fprintf(
    stderr, "drill: produced %" PRIu64 "/%" PRIu64 " events (%.0f%%), %.0f ev/s\n", done, total,
    100.0 * static_cast<double>(done) / static_cast<double>(std::max<uint64_t>(total, 1)),
    progress.rate(done));
}

/// Generated events, written to the work dir: the log the oracle recomputes from
/// and the one produced (or read by the file source) afterwards.
bool generate(const drill_options& o, drill_input& out, progress_meter& progress,
              std::string& error) {
  gen_config cfg;
  cfg.seed = o.seed;
  event_generator gen(cfg);
  std::FILE* f = std::fopen(out.events_file.c_str(), "wb");
  if (f == nullptr)
    return error = "cannot write " + out.events_file + ": " + std::strerror(errno), false;
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  bool ok = true;
  for (uint64_t i = 1; ok && i <= *o.events && !drill_stop_requested; ++i) {
    const auto& line = gen.next();
    ok = std::fwrite(line.text.data(), 1, line.text.size(), f) == line.text.size()
         && std::fputc('\n', f) != EOF;
    if (!ok) error = "cannot write " + out.events_file + ": " + std::strerror(errno);
    out.events += ok ? 1 : 0;
    if (progress.due())
      std::fprintf(stderr, "drill: generated %" PRIu64 "/%" PRIu64 " events\n", i, *o.events);
  }
  if (std::fclose(f) != 0 && ok)
    return error = "cannot write " + out.events_file + ": " + std::strerror(errno), false;
  if (ok && drill_stop_requested) ok = false, error = "interrupted";
  return ok;
}

}  // namespace

bool count_lines(const std::string& path, uint64_t& lines, std::string& error) {
  std::FILE* in = std::fopen(path.c_str(), "rb");
  if (in == nullptr) return error = "--from " + path + ": " + std::strerror(errno), false;
  std::vector<char> buf(1 << 20);
  lines = 0;
  char last = '\n';
  for (size_t n; (n = std::fread(buf.data(), 1, buf.size(), in)) > 0;) {
    lines += static_cast<uint64_t>(std::count(buf.data(), buf.data() + n, '\n'));
    last = buf[n - 1];
  }
  bool ok = std::ferror(in) == 0;
  std::fclose(in);
  if (!ok) return error = "--from " + path + ": cannot read it", false;
  lines += last != '\n' ? 1 : 0;
  return true;
}

bool generate_drill_events(const drill_options& o, const std::string& path, drill_input& out,
                           std::string& error) {
  out.events_file = path;
  progress_meter progress;
  bool ok = generate(o, out, progress, error);
  out.seconds += progress.elapsed_s();
  return ok;
}

bool produce_drill_events(const std::string& bootstrap, const std::string& topic, drill_input& in,
                          std::string& error) {
  auto producer = kafka_producer::create(bootstrap, error, {{"message.timeout.ms", "60000"}});
  if (producer == nullptr) return false;
  std::FILE* f = std::fopen(in.events_file.c_str(), "rb");
  if (f == nullptr) return error = in.events_file + ": " + std::strerror(errno), false;
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  progress_meter progress;
  uint64_t sent = 0;
  bool ok = produce_lines(f, topic, *producer, sent, error,
                          [&](uint64_t n) { print_progress(progress, n, in.events); });
  std::fclose(f);
  if (!ok) error = in.events_file + ": " + error;
  if (ok && drill_stop_requested) ok = false, error = "interrupted";
  while (ok && !producer->flush(1000))  // ends: every message fails after message.timeout.ms
    std::fprintf(stderr, "drill: waiting for %zu deliveries (%s)\n", producer->in_flight(),
                 producer->last_error().c_str());
  if (ok && producer->failed() > 0)
    ok = false, error = std::to_string(producer->failed()) + " messages to " + topic
                        + " failed: " + producer->last_error();
  in.seconds += progress.elapsed_s();
  if (ok)
    std::fprintf(stderr, "drill: produced %" PRIu64 " events to %s in %.1f s (%.0f ev/s)\n", sent,
                 topic.c_str(), progress.elapsed_s(), progress.rate(sent));
  return ok;
}

bool check_topic_holds(const std::string& bootstrap, const std::string& topic, uint32_t partitions,
                       uint64_t events, uint64_t& in_kafka, std::string& error) {
  auto consumer = kafka_consumer::create(bootstrap, "rtfeat-drill", error);
  std::vector<partition_offsets> offsets;
  if (consumer == nullptr
      || !consumer->query_offsets(topic, static_cast<int32_t>(partitions), offsets, error))
    return false;
  in_kafka = 0;
  for (const auto& p : offsets) {
    in_kafka += static_cast<uint64_t>(p.high - p.low);
    if (p.low != 0)
      return error = topic + "[" + std::to_string(p.partition) + "] dropped its first " + std::to_string(p.low)
                     + " messages (the mock keeps ~5 MiB or 100 000 per partition): drill with more --partitions",
             false;
  }
  if (in_kafka != events)
    return error = topic + " holds " + std::to_string(in_kafka) + " messages, "
                   + std::to_string(events) + " were produced",
           false;
  return true;
}

}  // namespace rtfeat

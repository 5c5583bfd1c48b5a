// Progress and summary output of `rtfeat node` (see node_report.hpp).
#include "actors/node/node_report.hpp"

#include <cstdio>
#include <ctime>
#include <fstream>

#include "runtime/clock.hpp"

namespace rtfeat::node {

std::string format_event_time(int64_t ms) {
  if (ms == no_watermark) return "-";
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

node_report::node_report(const node_metrics& m) : m_(m), last_ms_(steady_ms()) {}

std::string node_report::progress_line() {
  auto now = steady_ms();
  auto read = m_.events_read.load();
  double secs = static_cast<double>(std::max<int64_t>(now - last_ms_, 1)) / 1000.0;
  double rate = static_cast<double>(read - last_read_) / secs;
  last_read_ = read;
  last_ms_ = now;
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "node: read=%lu (%.0f ev/s) accepted=%lu rejected=%lu late=%lu key_updates=%lu "
                "redis_cmds=%lu redis_errors=%lu checkpoints=%lu (last %lu: %ld ms = align %ld + encode %ld + write %ld,"
                " %lu bytes) failed=%lu",
                read, rate, m_.events_accepted.load(), m_.rejected_total(), m_.events_late.load(),
                m_.key_updates.load(), m_.redis_commands.load(), m_.redis_errors.load(),
                m_.checkpoints_completed.load(), m_.last_checkpoint_id.load(), m_.last_checkpoint_ms.load(),
                m_.last_checkpoint_align_ms.load(), m_.last_checkpoint_encode_ms.load(),
                m_.last_checkpoint_write_ms.load(), m_.last_checkpoint_bytes.load(), m_.checkpoints_failed.load());
  return buf;
}

std::string node_report::summary_line(double seconds) const {
  auto read = m_.events_read.load();
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "node: done: read=%lu accepted=%lu rejected=%lu late=%lu dead_letters=%lu "
                "redis_cmds=%lu redis_resyncs=%lu final_watermark=%s in %.2f s (%.0f ev/s)",
                read, m_.events_accepted.load(), m_.rejected_total(), m_.events_late.load(),
                m_.dead_letters_written.load(), m_.redis_commands.load(), m_.redis_resyncs.load(),
                format_event_time(m_.watermark.load()).c_str(), seconds,
                static_cast<double>(read) / std::max(seconds, 1e-9));
  return buf;
}

bool node_report::write_stats(const std::string& path, double seconds) const {
  std::ofstream out(path);
  out << "{\"events_read\":" << m_.events_read.load() << ",\"accepted\":" << m_.events_accepted.load()
      << ",\"rejected\":" << m_.rejected_total() << ",\"rejected_by_reason\":{";
  for (size_t i = 0; i < reject_reason_count; ++i)
    out << (i ? "," : "") << '"' << reject_reason_names[i] << "\":" << m_.rejected[i].load();
  out << "},\"late\":" << m_.events_late.load()
      << ",\"dead_letters\":" << m_.dead_letters_written.load()
      << ",\"key_updates\":" << m_.key_updates.load()
      << ",\"redis_commands\":" << m_.redis_commands.load()
      << ",\"redis_errors\":" << m_.redis_errors.load()
      << ",\"redis_resyncs\":" << m_.redis_resyncs.load()
      << ",\"redis_orphans_deleted\":" << m_.redis_orphans_deleted.load()
      << ",\"redis_moved\":" << m_.redis_moved.load() << ",\"redis_ask\":" << m_.redis_ask.load()
      << ",\"final_watermark\":" << m_.watermark.load()
      << ",\"checkpoints\":" << m_.checkpoints_completed.load()
      << ",\"checkpoints_failed\":" << m_.checkpoints_failed.load()
      << ",\"last_checkpoint_ms\":" << m_.last_checkpoint_ms.load()
      << ",\"last_checkpoint_bytes\":" << m_.last_checkpoint_bytes.load()
      << ",\"last_checkpoint_written_bytes\":" << m_.last_checkpoint_written_bytes.load()
      << ",\"last_checkpoint_align_ms\":" << m_.last_checkpoint_align_ms.load()
      << ",\"last_checkpoint_encode_ms\":" << m_.last_checkpoint_encode_ms.load()
      << ",\"last_checkpoint_write_ms\":" << m_.last_checkpoint_write_ms.load()
      << ",\"state_entities\":{";
  size_t i = 0;
  for (const auto& [name, n] : m_.entities()) out << (i++ ? "," : "") << '"' << name << "\":" << n;
  out << "},\"seconds\":" << seconds << "}\n";
  return static_cast<bool>(out);
}

}  // namespace rtfeat::node

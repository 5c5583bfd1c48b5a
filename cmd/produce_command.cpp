// rtfeat produce: replays a JSONL file into a Kafka topic, one message per line
// (malformed ones too), keyed like `rtfeat gen --bootstrap` does (user_id via
// message_key_extractor), so file order is kept inside each partition.
#include <sys/stat.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include "cmd/commands.hpp"
#include "runtime/kafka/producer.hpp"
#include "runtime/tools/kafka/line_producer.hpp"
#include "runtime/tools/progress_meter.hpp"

namespace rtfeat::cmd {

namespace {

struct produce_options {
  std::string bootstrap, topic, file;
  double rate = 0;  // messages per second, 0 = as fast as possible
};

/// Sleeps while `sent` messages are ahead of `rate` per second: a steady
/// stream for tests and benches that need an engine working while they look.
void pace(double rate, uint64_t sent, const progress_meter& progress) {
  if (rate <= 0) return;
  double ahead_s = static_cast<double>(sent) / rate - progress.elapsed_s();
  if (ahead_s > 0.001) std::this_thread::sleep_for(std::chrono::duration<double>(ahead_s));
}

// Sends every line of `in`; false when reading or sending failed (reported).
bool send_lines(std::FILE* in, double file_bytes, const produce_options& o,
                kafka_producer& producer, progress_meter& progress, uint64_t& sent) {
  std::string error;
  bool ok = produce_lines(in, o.topic, producer, sent, error, [&](uint64_t n) {
    pace(o.rate, n, progress);
    if (progress.due())
      std::fprintf(stderr,
                   "produce: %" PRIu64 " messages (%.0f%% of file), %.0f msg/s, %" PRIu64
                   " delivered\n",
                   n, 100.0 * static_cast<double>(std::ftell(in)) / file_bytes,
                   progress.rate(n), producer.delivered());
  });
  // A refused message is reported by finish() with the producer's own count.
  if (!ok && std::ferror(in) != 0) std::fprintf(stderr, "produce: %s: %s\n", o.file.c_str(), error.c_str());
  return ok;
}

int finish(const produce_options& o, kafka_producer& producer, bool read_ok, uint64_t sent,
           const progress_meter& progress) {
  while (!producer.flush(1000))  // ends: every message fails after message.timeout.ms
    std::fprintf(stderr, "produce: waiting for %zu deliveries (%s)\n", producer.in_flight(),
                 producer.last_error().c_str());
  if (producer.failed() > 0) {
    std::fprintf(stderr, "produce: %" PRIu64 " messages to %s failed, last error: %s\n",
                 producer.failed(), o.topic.c_str(), producer.last_error().c_str());
    return 1;
  }
  if (!read_ok) return 1;
  std::fprintf(stderr, "produce: %" PRIu64 " messages to %s in %.2f s (%.0f msg/s)\n", sent,
               o.topic.c_str(), progress.elapsed_s(), progress.rate(sent));
  return 0;
}

int run_produce(const produce_options& o) {
  std::FILE* in = std::fopen(o.file.c_str(), "rb");
  struct stat st {};
  if (in == nullptr || ::fstat(::fileno(in), &st) != 0 || S_ISDIR(st.st_mode)) {
    std::fprintf(stderr, "produce: cannot read %s: %s\n", o.file.c_str(),
                 in != nullptr && S_ISDIR(st.st_mode) ? "is a directory" : std::strerror(errno));
    if (in != nullptr) std::fclose(in);
    return 1;
  }
  std::setvbuf(in, nullptr, _IOFBF, 1 << 20);
  std::string error;
  auto producer = kafka_producer::create(o.bootstrap, error, {{"message.timeout.ms", "60000"}});
  if (producer == nullptr) {
    std::fprintf(stderr, "produce: %s\n", error.c_str());
    std::fclose(in);
    return 1;
  }
  progress_meter progress;
  uint64_t sent = 0;
  const double file_bytes = st.st_size > 0 ? static_cast<double>(st.st_size) : 1.0;
  const bool read_ok = send_lines(in, file_bytes, o, *producer, progress, sent);
  std::fclose(in);
  return finish(o, *producer, read_ok, sent, progress);
}

}  // namespace

void add_produce(CLI::App& app) {
  auto opts = std::make_shared<produce_options>();
  auto* sub = app.add_subcommand("produce", "produce every line of a JSONL file to Kafka");
  sub->add_option("--bootstrap", opts->bootstrap, "Kafka bootstrap servers")->required();
  sub->add_option("--topic", opts->topic, "Kafka topic")->required();
  sub->add_option("--file", opts->file, "JSONL file, one event per line")->required();
  sub->add_option("--rate", opts->rate, "messages per second (default: as fast as possible)")
    ->check(CLI::NonNegativeNumber);
  sub->callback([opts] { exit_code() = run_produce(*opts); });
}

}  // namespace rtfeat::cmd

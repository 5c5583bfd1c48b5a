// rtfeat gen: event_generator's deterministic traffic as JSONL to a file (or "-"),
// or produced to Kafka keyed by user_id; progress with rates on stderr, and an
// exact per-kind JSON summary that tests and benches check the engine against.
// With --labels, views become labelled impressions for training (gen_labels.hpp).
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <string>

#include "cmd/commands.hpp"
#include "cmd/gen_labels.hpp"
#include "config/duration.hpp"
#include "runtime/event_parser.hpp"
#include "runtime/kafka/producer.hpp"
#include "runtime/tools/gen/event_generator.hpp"
#include "runtime/tools/progress_meter.hpp"

namespace rtfeat::cmd {

namespace {

struct gen_options {
  gen_config cfg;
  uint64_t events = 0;
  std::string out, bootstrap, topic, summary;
  std::string labels, label_window = "10m";
};

using line_sink = std::function<bool(const generated_line&)>;

// Feeds `events` lines to `sink`, and each line it took to `labels` (when given);
// false as soon as the sink fails.
bool generate(event_generator& gen, uint64_t events, progress_meter& progress,
              const line_sink& sink, label_writer* labels) {
  for (uint64_t i = 1; i <= events; ++i) {
    const generated_line& line = gen.next();
    if (!sink(line)) return false;
    if (labels != nullptr) labels->add_line(line.text);
    if (progress.due())
      std::fprintf(stderr, "gen: %" PRIu64 "/%" PRIu64 " events (%.0f%%), %.0f ev/s\n", i, events,
                   100.0 * static_cast<double>(i) / static_cast<double>(events), progress.rate(i));
  }
  return true;
}

int gen_to_file(const gen_options& o, event_generator& gen, progress_meter& progress,
                label_writer* labels) {
  const bool to_stdout = o.out == "-";
  std::FILE* f = to_stdout ? stdout : std::fopen(o.out.c_str(), "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "gen: cannot open %s: %s\n", o.out.c_str(), std::strerror(errno));
    return 1;
  }
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  bool ok = generate(
    gen, o.events, progress,
    [f](const generated_line& line) {
      return std::fwrite(line.text.data(), 1, line.text.size(), f) == line.text.size()
             && std::fputc('\n', f) != EOF;
    },
    labels);
  ok = (to_stdout ? std::fflush(f) : std::fclose(f)) == 0 && ok;
  if (!ok) std::fprintf(stderr, "gen: cannot write %s: %s\n", o.out.c_str(), std::strerror(errno));
  return ok ? 0 : 1;
}

int gen_to_kafka(const gen_options& o, event_generator& gen, progress_meter& progress,
                 label_writer* labels) {
  std::string error;
  auto producer = kafka_producer::create(o.bootstrap, error, {{"message.timeout.ms", "60000"}});
  if (producer == nullptr) {
    std::fprintf(stderr, "gen: %s\n", error.c_str());
    return 1;
  }
  generate(
    gen, o.events, progress,
    [&](const generated_line& line) {
      return producer->send(o.topic, line.key, line.text) && producer->failed() == 0;
    },
    labels);
  while (!producer->flush(1000))  // ends: every message fails after message.timeout.ms
    std::fprintf(stderr, "gen: waiting for %zu deliveries (%s)\n", producer->in_flight(),
                 producer->last_error().c_str());
  if (producer->failed() == 0) return 0;
  std::fprintf(stderr, "gen: %" PRIu64 " of %" PRIu64 " messages to %s failed, last error: %s\n",
               producer->failed(), gen.counts().events, o.topic.c_str(),
               producer->last_error().c_str());
  return 1;
}

bool write_summary(const std::string& path, const gen_counts& c, uint64_t seed) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return false;
  std::fprintf(f,
               "{\"events\":%" PRIu64 ",\"valid\":%" PRIu64 ",\"malformed\":%" PRIu64
               ",\"out_of_order\":%" PRIu64 ",\"late_intended\":%" PRIu64 ",\"seed\":%" PRIu64,
               c.events, c.valid, c.malformed, c.out_of_order, c.late, seed);
  reject_counts by_reason{};
  std::fprintf(f, ",\"malformed_by_kind\":{");
  for (size_t k = 0; k < malformed_kind_count; ++k) {
    const auto kind = static_cast<malformed_kind>(k);
    by_reason[static_cast<size_t>(expected_reason(kind))] += c.malformed_by_kind[k];
    std::fprintf(f, "%s\"%s\":%" PRIu64, k == 0 ? "" : ",", std::string(to_string(kind)).c_str(),
                 c.malformed_by_kind[k]);
  }
  std::fprintf(f, "},\"rejected_by_reason\":{");
  for (size_t r = 0; r < reject_reason_count; ++r)
    std::fprintf(f, "%s\"%s\":%" PRIu64, r == 0 ? "" : ",",
                 std::string(reject_reason_names[r]).c_str(), by_reason[r]);
  std::fprintf(f, "}}\n");
  return std::fclose(f) == 0;
}

// Warns when the tail of the stream would be rejected as "ts > now + 1 day".
void warn_about_future(const gen_options& o) {
  const double span_ms = static_cast<double>(o.events) * 1000.0 / o.cfg.rate;
  if (o.cfg.start_ts + static_cast<int64_t>(span_ms) > wall_clock_ms() + max_future_ms)
    std::fprintf(stderr,
                 "gen: warning: events past now + 1 day will be rejected "
                 "(ts_out_of_range); lower --start-ts or raise --rate\n");
}

int run_gen(const gen_options& o) {
  if (o.out.empty() == o.bootstrap.empty() || o.bootstrap.empty() != o.topic.empty()) {
    std::fprintf(stderr, "gen: give either --out FILE or --bootstrap B --topic T\n");
    return 2;
  }
  if (auto problem = validate(o.cfg); !problem.empty()) {
    std::fprintf(stderr, "gen: %s\n", problem.c_str());
    return 2;
  }
  const auto window_ms = parse_duration_ms(o.label_window);
  if (!window_ms) {
    std::fprintf(stderr, "gen: --label-window %s is not a duration (10m, 90s)\n",
                 o.label_window.c_str());
    return 2;
  }
  warn_about_future(o);
  event_generator gen(o.cfg);
  progress_meter progress;
  std::optional<label_writer> labels;
  if (!o.labels.empty()) labels.emplace();
  label_writer* to_label = labels ? &*labels : nullptr;
  int code = o.out.empty() ? gen_to_kafka(o, gen, progress, to_label)
                           : gen_to_file(o, gen, progress, to_label);
  const gen_counts& c = gen.counts();
  std::fprintf(stderr,
               "gen: %" PRIu64 " events (%" PRIu64 " valid incl. %" PRIu64
               " out-of-order and %" PRIu64 " late, %" PRIu64
               " malformed) in %.2f s, %.0f ev/s -> %s\n",
               c.events, c.valid, c.out_of_order, c.late, c.malformed, progress.elapsed_s(),
               progress.rate(c.events), o.out.empty() ? o.topic.c_str() : o.out.c_str());
  if (o.cfg.intent)
    std::fprintf(stderr, "gen: %" PRIu64 " of them follow-ups of views (--intent)\n", c.follow_ups);
  if (labels && code == 0 && !labels->write(o.labels, *window_ms)) code = 1;
  if (!o.summary.empty() && !write_summary(o.summary, c, o.cfg.seed)) {
    std::fprintf(stderr, "gen: cannot write %s: %s\n", o.summary.c_str(), std::strerror(errno));
    return 1;
  }
  return code;
}

}  // namespace

void add_gen(CLI::App& app) {
  auto opts = std::make_shared<gen_options>();
  auto* sub = app.add_subcommand("gen", "generate deterministic e-commerce events (JSONL)");
  gen_config& cfg = opts->cfg;
  sub->add_option("--events", opts->events, "number of events")->required();
  sub->add_option("--seed", cfg.seed, "random seed: same seed, same bytes")->required();
  sub->add_option("--users", cfg.users, "distinct users (Zipf-skewed)")->capture_default_str();
  sub->add_option("--items", cfg.items, "distinct items (Zipf-skewed)")->capture_default_str();
  sub->add_option("--categories", cfg.categories, "item categories")->capture_default_str();
  sub->add_option("--start-ts", cfg.start_ts, "event time of the first event, epoch ms")
    ->capture_default_str();
  sub->add_option("--rate", cfg.rate, "events per second of event time")->capture_default_str();
  sub->add_option("--out-of-order", cfg.out_of_order, "fraction of events 1 ms..5 s behind")
    ->capture_default_str();
  sub->add_option("--late", cfg.late, "fraction 65 s..21 min behind (late)")->capture_default_str();
  sub->add_option("--malformed", cfg.malformed, "fraction of invalid lines")->capture_default_str();
  sub->add_option("--skew", cfg.zipf_exponent, "Zipf exponent of users and items")
    ->capture_default_str();
  sub
    ->add_option("--user-skew-offset", cfg.user_zipf_offset,
                 "Zipf-Mandelbrot offset of users (0 = plain Zipf, a 13 % top user)")
    ->capture_default_str();
  sub->add_option("--summary", opts->summary, "write exact counts as JSON to this file");
  sub->add_option("--out", opts->out, "JSONL output file ('-' = stdout)");
  sub->add_option("--bootstrap", opts->bootstrap, "Kafka bootstrap servers (instead of --out)");
  sub->add_option("--topic", opts->topic, "Kafka topic (with --bootstrap)");
  sub->add_flag("--intent", cfg.intent,
                "views get follow-up clicks, carts and purchases a model can learn (off: the "
                "classic stream)");
  sub->add_option("--labels", opts->labels,
                  "write every view as an impression, labelled 1 when the user clicks, carts or "
                  "buys the item within the window after it, to this CSV (turns on --intent)");
  sub->add_option("--label-window", opts->label_window, "the label window: (ts, ts + window]")
    ->capture_default_str();
  sub->callback([opts] {
    if (!opts->labels.empty()) opts->cfg.intent = true;
    exit_code() = run_gen(*opts);
  });
}

}  // namespace rtfeat::cmd

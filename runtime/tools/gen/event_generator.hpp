// `rtfeat gen`'s traffic model: a deterministic stream of e-commerce events as
// JSONL lines in SPEC §2's format, with Zipf-skewed users and items, a realistic
// behaviour mix, and chosen fractions of out-of-order, late and malformed lines.
// With `intent`, views get follow-ups from intent_model (same format, same kinds).
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "runtime/event.hpp"
#include "runtime/source/message_key.hpp"
#include "runtime/tools/gen/catalog.hpp"
#include "runtime/tools/gen/intent_model.hpp"
#include "runtime/tools/gen/malformed_events.hpp"
#include "runtime/tools/gen/zipf_sampler.hpp"

namespace rtfeat {

struct gen_config {
  uint64_t seed = 1;
  uint32_t users = 100000;
  uint32_t items = 50000;
  uint32_t categories = 200;
  int64_t start_ts = 1767225600000;  // 2026-01-01T00:00:00Z
  double rate = 50;                  // events per second of event time
  double out_of_order = 0.05;        // ts = nominal - [1, 4999] ms
  double late = 0.01;                // ts = nominal - 65 s - [1 s, 20 min]
  double malformed = 0.005;
  double zipf_exponent = 1.1;  // users and items
  // Zipf-Mandelbrot offset for users: 20 keeps the top 1 % of users at ~56 % of
  // the traffic but the top user at ~0.8 % instead of 13 % (one user per partition
  // would overflow the mock's ~5 MiB partitions). Items stay plain Zipf.
  double user_zipf_offset = 20;
  // Views are followed by clicks, carts and purchases of the same item (intent_model).
  // Off, the stream is byte for byte what it was before intent_model existed.
  bool intent = false;
};

/// Empty when `cfg` is usable, else what is wrong with it.
std::string validate(const gen_config& cfg);

enum class line_kind : uint8_t { in_order, out_of_order, late, malformed };

struct generated_line {
  std::string text;  // one JSON document without newline; never empty
  std::string key;   // the Kafka key (message_key_extractor); empty = null key
  line_kind kind = line_kind::in_order;
  malformed_kind malformed = malformed_kind::truncated_json;  // iff kind == malformed
  int64_t nominal_ts = 0;                                     // start_ts + i * 1000 / rate
};

/// Exactly what was emitted so far. valid = in order + out_of_order + late.
struct gen_counts {
  uint64_t events = 0;
  uint64_t valid = 0;
  uint64_t out_of_order = 0;
  uint64_t late = 0;  // intended late: older than any watermark minus lateness at the time
  uint64_t malformed = 0;
  uint64_t follow_ups = 0;  // lines that are intent_model's follow-ups (any kind)
  malformed_counts malformed_by_kind{};
};

class event_generator {
public:
  /// REQUIRES: validate(cfg).empty().
  explicit event_generator(const gen_config& cfg);

  /// The next line; the reference stays valid until the next call.
  const generated_line& next();

  const gen_counts& counts() const { return counts_; }
  const gen_config& config() const { return cfg_; }

private:
  struct item_event {
    uint32_t user = 0;
    uint32_t item = 0;  // meaningless for a search
    behavior kind = behavior::view;
  };

  line_kind draw_kind();
  int64_t event_time(line_kind kind, int64_t nominal);
  item_event draw_event();
  void write_event(int64_t ts, const item_event& e);
  void write_item_fields(behavior kind, int64_t price_cents);
  void write_context(uint32_t user, behavior kind);
  void count_line();

  gen_config cfg_;
  std::mt19937_64 rng_;
  catalog catalog_;
  zipf_sampler users_;
  zipf_sampler items_;
  zipf_sampler campaigns_;
  zipf_sampler words_;
  message_key_extractor key_extractor_;
  generated_line line_;
  gen_counts counts_;
  std::optional<intent_model> intent_;  // engaged iff cfg.intent
};

}  // namespace rtfeat

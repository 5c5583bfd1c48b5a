// Step 1 of the oracle: read a JSONL events file line by line, parse, assign
// partitions and drop late events exactly as SPEC §4a says. The result is the
// list of kept events plus the final watermark; no window logic lives here.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "runtime/event.hpp"
#include "runtime/reject_reason.hpp"

namespace rtfeat::oracle {

/// An accepted, non-late event with only what the features need.
struct kept_event {
  std::string user_id;
  std::string item_id;      // empty when absent
  std::string region;       // empty when absent
  std::string campaign_id;  // empty when absent
  int64_t ts = 0;
  int64_t category_id = 0;
  double price = 0;
  double amount = 0;
  std::optional<int64_t> wm_at_read;  // W_p of its partition just before it, if defined
  int32_t partition = 0;              // murmur2(user_id) mod P (SPEC §4a)
  uint64_t line = 0;                  // 1-based, in the events file
  behavior kind = behavior::view;
  bool has_category = false;
  bool has_price = false;
  bool has_amount = false;
};

struct event_log_stats {
  uint64_t lines = 0;
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  reject_counts rejected_by_reason{};
  uint64_t late = 0;
  uint64_t kept = 0;
  std::optional<int64_t> final_watermark;  // none when no partition kept an event
};

struct event_log_options {
  int32_t partitions = 1;
  int64_t out_of_orderness_ms = 0;
  int64_t max_future_skew_ms = 0;                // F, 0 = off (docs/semantics.md, Future skew)
  int64_t max_lateness_ms = 0;                   // L: the largest window lateness of the catalogue
  int64_t now_ms = 0;                            // "now" of the parser's ts range check
  std::function<void(uint64_t lines)> progress;  // called every 65536 lines, may be empty
};

/// Reads `path`: every '\n'-terminated line (and a final unterminated one) is a message.
/// Appends kept events in file order to `kept`: an event's index in `kept` is its
/// log order (docs/semantics.md), which breaks ties between equal ts. Returns false only when the
/// file cannot be read; bad lines are counted, never errors.
bool read_event_log(const std::string& path, const event_log_options& opts,
                    std::vector<kept_event>& kept, event_log_stats& stats, std::string& error);

}  // namespace rtfeat::oracle

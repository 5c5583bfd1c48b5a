// read_event_log: the oracle's reading of SPEC §4a "Partition", "Lateness" and
// "Final watermark", written as one plain loop over the file with one max_ts
// per partition. Rejected, late and future_ts events never touch a partition's max_ts.
#include "oracle/event_log.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "runtime/event_parser.hpp"
#include "runtime/murmur2.hpp"

namespace rtfeat::oracle {

namespace {

kept_event slim(event& ev, std::optional<int64_t> wm_at_read, int32_t partition) {
  kept_event k;
  k.user_id = std::move(ev.user_id);
  k.item_id = std::move(ev.item_id);
  k.region = std::move(ev.region);
  k.campaign_id = std::move(ev.campaign_id);
  k.ts = ev.ts;
  k.category_id = ev.category_id;
  k.price = ev.price;
  k.amount = ev.amount;
  k.wm_at_read = wm_at_read;
  k.partition = partition;
  k.kind = ev.kind;
  k.has_category = ev.has_category;
  k.has_price = ev.has_price;
  k.has_amount = ev.has_amount;
  return k;
}

// The oracle's own copy of the parser's amount bound (the parser's is off here,
// so a difference between the two shows in the diff): finite, |v| <= 1e18.
bool amount_in_range(const event& ev) {
  auto ok = [](bool has, double v) { return !has || (std::isfinite(v) && v >= -1e18 && v <= 1e18); };
  return ok(ev.has_price, ev.price) && ok(ev.has_amount, ev.amount);
}

// Per-partition reader state: the max ts of its kept events, if any, and the
// last event refused as too far ahead and not yet confirmed by a second one.
struct partition_state {
  std::optional<int64_t> max_ts;
  std::optional<int64_t> future_suspect;
};

/// Future skew (docs/semantics.md): true when `ts` is more than F ahead of W_p and no
/// earlier refused event lies within F of it; such an event becomes the suspect.
bool refuse_future(partition_state& p, std::optional<int64_t> wm, int64_t ts, int64_t f) {
  if (f == 0 || !wm || ts <= *wm + f) return false;
  if (p.future_suspect && ts >= *p.future_suspect - f && ts <= *p.future_suspect + f) {
    p.future_suspect.reset();
    return false;
  }
  p.future_suspect = ts;
  return true;
}

}  // namespace

bool read_event_log(const std::string& path, const event_log_options& opts,
                    std::vector<kept_event>& kept, event_log_stats& stats, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return error = path + ": cannot open events file", false;
  event_parser parser(opts.now_ms, parse_checks{.amount_range = false});
  std::vector<partition_state> parts(static_cast<size_t>(opts.partitions));
  std::string line;
  event ev;
  while (std::getline(in, line)) {
    ++stats.lines;
    if (opts.progress && stats.lines % 65536 == 0) opts.progress(stats.lines);
    auto reason = parser.parse(line, ev);
    if (!reason && !amount_in_range(ev)) reason = reject_reason::out_of_range;  // after the ts checks, as the node
    const int32_t partition = reason ? 0 : partition_of(ev.user_id, opts.partitions);
    auto& p = parts[static_cast<size_t>(partition)];
    std::optional<int64_t> wm;  // W_p before this event
    if (!reason && p.max_ts) wm = *p.max_ts - opts.out_of_orderness_ms;
    // A late event is never far ahead, so testing future skew first changes nothing.
    if (!reason && refuse_future(p, wm, ev.ts, opts.max_future_skew_ms)) reason = reject_reason::future_ts;
    if (reason) {
      ++stats.rejected;
      ++stats.rejected_by_reason[static_cast<size_t>(*reason)];
      continue;
    }
    ++stats.accepted;
    if (wm && ev.ts < *wm - opts.max_lateness_ms) {
      ++stats.late;
      continue;
    }
    p.max_ts = p.max_ts ? std::max(*p.max_ts, ev.ts) : ev.ts;
    kept.push_back(slim(ev, wm, partition));
    kept.back().line = stats.lines;
    ++stats.kept;
  }
  if (in.bad())
    return error = path + ": read error after line " + std::to_string(stats.lines), false;
  // Final watermark: min over partitions with data of their W_p after the last event.
  for (const auto& p : parts) {
    if (!p.max_ts) continue;
    int64_t w = *p.max_ts - opts.out_of_orderness_ms;
    stats.final_watermark = stats.final_watermark ? std::min(*stats.final_watermark, w) : w;
  }
  if (opts.progress) opts.progress(stats.lines);
  return true;
}

}  // namespace rtfeat::oracle

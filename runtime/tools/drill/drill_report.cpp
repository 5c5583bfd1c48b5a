// Text and JSON forms of the drill report (see drill_report.hpp).
#include "runtime/tools/drill/drill_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>

#include "runtime/checkpoint/manifest_json.hpp"

namespace rtfeat {

namespace {

__attribute__((format(printf, 1, 2))) std::string format(const char* fmt, ...) {
  char buf[512];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  return buf;
}

/// The pace is worth a line only when the nodes had one.
bool rate_line_wanted(const drill_report& r) { return r.rate_per_partition > 0; }

std::string checkpoint_name(uint64_t id) {
  return id == 0 ? "the beginning" : "chk " + std::to_string(id);
}

std::string in_flight_text(uint64_t id, bool committed) {
  if (id == 0) return "-";
  return "chk " + std::to_string(id) + (committed ? " (committed anyway)" : " (abandoned)");
}

void kill_table(std::string& out, const drill_report& r) {
  out +=
    format("  %-3s %-6s %-8s %-21s %-26s %-14s %-14s %9s %12s\n", "#", "node", "at s", "waited for",
           "checkpoint in flight", "last complete", "resumed from", "pause ms", "rollback ms");
  for (size_t i = 0; i < r.kills.size(); ++i) {
    const auto& k = r.kills[i];
    out += format(
      "  %-3zu %-6s %-8.2f %-21s %-26s %-14s %-14s %9lld %12lld\n", i + 1, k.node.c_str(), k.at_s,
      k.moment.c_str(), in_flight_text(k.checkpoint_in_flight, k.in_flight_committed).c_str(),
      checkpoint_name(k.complete_at_kill).c_str(), checkpoint_name(k.restored_checkpoint).c_str(),
      static_cast<long long>(k.pause_ms), static_cast<long long>(k.rollback_ms));
  }
  out += "rollback stages   per kill, the last node to process again and its way back:\n";
  for (size_t i = 0; i < r.kills.size(); ++i) {
    const auto& k = r.kills[i];
    if (k.last_node.empty()) continue;
    out += format("  %-3zu %-6s %lld ms after its %s: %s\n", i + 1, k.last_node.c_str(),
                  static_cast<long long>(k.last_resume_ms), k.last_node == k.node ? "restart" : "stop",
                  k.last_resume_stages.c_str());
  }
}

void membership_table(std::string& out, const drill_report& r) {
  out += format("  %-3s %-8s %-6s %-6s %-8s %-12s %-14s %9s %16s\n", "#", "kind", "node", "epoch",
                "at s", "committed s", "resumed from", "pause ms", "since action ms");
  for (size_t i = 0; i < r.membership_changes.size(); ++i) {
    const auto& c = r.membership_changes[i];
    out += format("  %-3zu %-8s %-6s %-6llu %-8.2f %-12.2f %-14s %9lld %16lld\n", i + 1,
                  c.kind.c_str(), c.node.c_str(), static_cast<unsigned long long>(c.epoch), c.at_s,
                  c.committed_s, checkpoint_name(c.restored_checkpoint).c_str(),
                  static_cast<long long>(c.pause_ms), static_cast<long long>(c.since_action_ms));
  }
}

void json_field(std::string& out, const char* key, const std::string& value) {
  out += '"';
  out += key;
  out += "\":";
  json_append_string(out, value);
  out += ',';
}

void json_number(std::string& out, const char* key, auto value) {
  out += '"';
  out += key;
  out += "\":";
  if constexpr (std::is_floating_point_v<decltype(value)>)
    out += format("%.3f", value);
  else
    out += std::to_string(value);
  out += ',';
}

void close_object(std::string& out) {
  if (out.back() == ',') out.pop_back();
  out += '}';
}

void json_kill(std::string& out, const kill_record& k) {
  out += '{';
  json_field(out, "node", k.node);
  json_number(out, "at_s", k.at_s);
  json_field(out, "waited_for", k.moment);
  json_number(out, "checkpoint_in_flight", k.checkpoint_in_flight);
  out +=
    std::string("\"during_checkpoint\":") + (k.checkpoint_in_flight != 0 ? "true" : "false") + ",";
  out += std::string("\"in_flight_committed\":") + (k.in_flight_committed ? "true" : "false") + ",";
  json_number(out, "complete_at_kill", k.complete_at_kill);
  json_number(out, "restored_checkpoint", k.restored_checkpoint);
  json_number(out, "pause_ms", k.pause_ms);
  json_number(out, "rollback_ms", k.rollback_ms);
  json_field(out, "last_node", k.last_node);
  json_number(out, "last_resume_ms", k.last_resume_ms);
  json_field(out, "last_resume_stages", k.last_resume_stages);
  close_object(out);
}

void json_membership_change(std::string& out, const membership_change_record& c) {
  out += '{';
  json_field(out, "kind", c.kind);
  json_field(out, "node", c.node);
  json_number(out, "epoch", c.epoch);
  json_number(out, "at_s", c.at_s);
  json_number(out, "committed_s", c.committed_s);
  json_number(out, "restored_checkpoint", c.restored_checkpoint);
  json_number(out, "pause_ms", c.pause_ms);
  json_number(out, "since_action_ms", c.since_action_ms);
  close_object(out);
}

std::string summary_json(const duration_summary& s) {
  return format("{\"count\":%zu,\"min\":%lld,\"p50\":%lld,\"p95\":%lld,\"max\":%lld}", s.count,
                static_cast<long long>(s.min), static_cast<long long>(s.p50),
                static_cast<long long>(s.p95), static_cast<long long>(s.max));
}

void json_rescale(std::string& out, const std::optional<rescale_record>& r) {
  out += "\"rescale\":";
  if (!r) return void(out += "null,");
  out += '{';
  json_number(out, "from_nodes", r->from_nodes);
  json_number(out, "to_nodes", r->to_nodes);
  json_number(out, "at_s", r->at_s);
  json_number(out, "checkpoint_in_flight", r->checkpoint_in_flight);
  json_number(out, "complete_at_kill", r->complete_at_kill);
  json_number(out, "restored_checkpoint", r->restored_checkpoint);
  json_number(out, "pause_ms", r->pause_ms);
  json_number(out, "rollback_ms", r->rollback_ms);
  close_object(out);
  out += ',';
}

}  // namespace

int64_t percentile(std::vector<int64_t> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

duration_summary summarize(const std::vector<int64_t>& values) {
  duration_summary s;
  s.count = values.size();
  if (values.empty()) return s;
  s.min = *std::min_element(values.begin(), values.end());
  s.max = *std::max_element(values.begin(), values.end());
  s.p50 = percentile(values, 50);
  s.p95 = percentile(values, 95);
  return s;
}

std::vector<int64_t> drill_report::rollback_ms() const {
  std::vector<int64_t> out;
  for (const auto& k : kills) out.push_back(k.rollback_ms);
  return out;
}

std::vector<int64_t> drill_report::after_restart_ms() const {
  std::vector<int64_t> out;
  for (const auto& k : kills) out.push_back(k.rollback_ms - k.pause_ms);
  return out;
}

std::vector<int64_t> drill_report::membership_pause_ms() const {
  std::vector<int64_t> out;
  for (const auto& c : membership_changes) out.push_back(c.pause_ms);
  return out;
}

std::string format_report_text(const drill_report& r) {
  std::string out = std::string("rtfeat drill: ") + (r.passed() ? "PASSED" : "FAILED") + "\n";
  out += format("events            %llu (%s), %u partitions\n",
                static_cast<unsigned long long>(r.events), r.source.c_str(), r.partitions);
  if (r.source_kind != "kafka")
    out += "source.kind       " + r.source_kind + " (" + r.source_kind_why + ")\n";
  out += format("nodes             %u -> %u\n", r.nodes, r.nodes_after);
  out += format("checkpoints       %llu completed, one every %lld ms\n",
                static_cast<unsigned long long>(r.checkpoints_completed),
                static_cast<long long>(r.checkpoint_interval_ms));
  out += format("kills             %zu of %u\n", r.kills.size(), r.kills_planned);
  if (!r.kills.empty()) kill_table(out, r);
  if (r.rescale)
    out += format(
      "rescale           %u -> %u nodes at %.2f s, checkpoint in flight %s, last complete %s, "
      "resumed from %s, "
      "pause %lld ms, rollback %lld ms\n",
      r.rescale->from_nodes, r.rescale->to_nodes, r.rescale->at_s,
      in_flight_text(r.rescale->checkpoint_in_flight, r.rescale->in_flight_committed).c_str(),
      checkpoint_name(r.rescale->complete_at_kill).c_str(),
      checkpoint_name(r.rescale->restored_checkpoint).c_str(),
      static_cast<long long>(r.rescale->pause_ms), static_cast<long long>(r.rescale->rollback_ms));
  if (rate_line_wanted(r))
    out +=
      format("pace              %lld events/s per partition reader%s\n",
             static_cast<long long>(r.rate_per_partition),
             r.rate_defaulted ? " (chosen by the drill to outlast its plan; --rate sets it)" : "");
  if (!r.membership_changes.empty()) {
    out += format("membership        %zu changes\n", r.membership_changes.size());
    membership_table(out, r);
    auto p = summarize(r.membership_pause_ms());
    out += format(
      "pause ms          min %lld, median %lld, max %lld over %zu changes (epoch commit -> every "
      "member processing again)\n",
      static_cast<long long>(p.min), static_cast<long long>(p.p50), static_cast<long long>(p.max),
      p.count);
  }
  out +=
    format("restores          %llu (node starts and rollbacks that resumed from a checkpoint)\n",
           static_cast<unsigned long long>(r.restores));
  auto s = summarize(r.rollback_ms());
  out += format(
    "rollback ms       min %lld, median %lld, p95 %lld, max %lld over %zu kills "
    "(SIGKILL -> every node processing again)\n",
    static_cast<long long>(s.min), static_cast<long long>(s.p50), static_cast<long long>(s.p95),
    static_cast<long long>(s.max), s.count);
  auto a = summarize(r.after_restart_ms());
  out += format(
    "after restart ms  min %lld, median %lld, p95 %lld, max %lld (rollback less the drill's "
    "restart pause)\n",
    static_cast<long long>(a.min), static_cast<long long>(a.p50), static_cast<long long>(a.p95),
    static_cast<long long>(a.max));
  auto held = r.source_kind == "kafka"
                ? format("Kafka holds %llu", static_cast<unsigned long long>(r.events_in_kafka))
                : std::string("read from the file");
  out += format("events read       %llu = %llu at %s + %llu read after it (%s)\n",
                static_cast<unsigned long long>(r.events_read()),
                static_cast<unsigned long long>(r.events_at_checkpoint),
                checkpoint_name(r.final_checkpoint).c_str(),
                static_cast<unsigned long long>(r.events_read_after), held.c_str());
  out += format("wall time         %.1f s (produce %.1f s, cluster %.1f s, oracle %.1f s)\n",
                r.wall_s, r.produce_s, r.cluster_s, r.oracle_s);
  out += format(
    "throughput        %.0f events/s (events / cluster time, rollbacks and replays included)\n",
    r.throughput());
  out += "differences       "
         + (r.differences ? std::to_string(*r.differences) : std::string("not checked")) + "\n";
  for (const auto& f : r.failures) out += "failure           " + f + "\n";
  if (!r.work_dir.empty()) out += "work dir          " + r.work_dir + "\n";
  return out;
}

std::string format_report_json(const drill_report& r) {
  std::string out = "{";
  out += std::string("\"passed\":") + (r.passed() ? "true" : "false") + ",";
  json_field(out, "source", r.source);
  json_number(out, "events", r.events);
  json_number(out, "partitions", r.partitions);
  json_field(out, "source_kind", r.source_kind);
  json_field(out, "source_kind_why", r.source_kind_why);
  json_number(out, "nodes", r.nodes);
  json_number(out, "nodes_after", r.nodes_after);
  json_number(out, "checkpoint_interval_ms", r.checkpoint_interval_ms);
  json_number(out, "checkpoints_completed", r.checkpoints_completed);
  json_number(out, "kills", r.kills.size());
  json_number(out, "kills_planned", r.kills_planned);
  out += "\"kill_list\":[";
  for (const auto& k : r.kills) json_kill(out, k), out += ',';
  if (out.back() == ',') out.pop_back();
  out += "],";
  json_rescale(out, r.rescale);
  out += "\"membership_changes\":[";
  for (const auto& c : r.membership_changes) json_membership_change(out, c), out += ',';
  if (out.back() == ',') out.pop_back();
  out += "],";
  out += "\"membership_pause_ms\":" + summary_json(summarize(r.membership_pause_ms())) + ",";
  json_number(out, "rate_per_partition", r.rate_per_partition);
  out += std::string("\"rate_defaulted\":") + (r.rate_defaulted ? "true" : "false") + ",";
  json_number(out, "restores", r.restores);
  auto s = summarize(r.rollback_ms());
  out += "\"rollback_ms\":" + summary_json(s) + ",";
  out += "\"after_restart_ms\":" + summary_json(summarize(r.after_restart_ms())) + ",";
  json_number(out, "final_checkpoint", r.final_checkpoint);
  json_number(out, "events_at_checkpoint", r.events_at_checkpoint);
  json_number(out, "events_read_after", r.events_read_after);
  json_number(out, "events_read", r.events_read());
  json_number(out, "events_in_kafka", r.events_in_kafka);
  json_number(out, "produce_s", r.produce_s);
  json_number(out, "cluster_s", r.cluster_s);
  json_number(out, "oracle_s", r.oracle_s);
  json_number(out, "wall_s", r.wall_s);
  json_number(out, "throughput_events_per_s", r.throughput());
  out += "\"differences\":" + (r.differences ? std::to_string(*r.differences) : std::string("null"))
         + ",";
  out += "\"failures\":[";
  for (const auto& f : r.failures) json_append_string(out, f), out += ',';
  if (out.back() == ',') out.pop_back();
  out += "],";
  json_field(out, "work_dir", r.work_dir);
  close_object(out);
  return out + "\n";
}

}  // namespace rtfeat

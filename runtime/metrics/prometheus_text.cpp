// Prometheus text rendering (see prometheus_text.hpp). Base units as Prometheus
// asks: seconds and bytes; counters end in _total.
#include "runtime/metrics/prometheus_text.hpp"

#include "runtime/metrics/exposition.hpp"

namespace rtfeat {

namespace {

double seconds(int64_t ms) { return static_cast<double>(ms) / 1000.0; }

}  // namespace

std::string prometheus_label_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string prometheus_text(const node_metrics& m, std::string_view node, int64_t now_unix_ms) {
  exposition x;
  x.family("rtfeat_node_info", "gauge", "Always 1; the node id of this process as a label.");
  x.sample("rtfeat_node_info", "node=\"" + prometheus_label_value(node) + "\"", 1);

  x.counter("rtfeat_events_read_total", "Events read from the source partitions of this node.", m.events_read);
  x.counter("rtfeat_events_accepted_total", "Events parsed, valid and on time: they reach the features.",
            m.events_accepted);
  x.counter("rtfeat_events_late_total", "Valid events dropped as late: event time behind the watermark.",
            m.events_late);
  x.family("rtfeat_events_rejected_total", "counter", "Events sent to the dead-letter sink, by reason.");
  for (size_t i = 0; i < reject_reason_count; ++i)
    x.sample("rtfeat_events_rejected_total", "reason=\"" + std::string(reject_reason_names[i]) + "\"",
             static_cast<double>(m.rejected[i].load()));
  x.counter("rtfeat_dead_letters_total", "Rejected events written to the dead-letter sink.",
            m.dead_letters_written);
  x.counter("rtfeat_key_updates_total", "Feature values the shards sent to the Redis sinks.", m.key_updates);
  x.counter("rtfeat_redis_commands_total", "Redis commands written by the sinks.", m.redis_commands);
  x.counter("rtfeat_redis_errors_total", "Failed Redis writes (retried; nothing is dropped).", m.redis_errors);
  x.counter("rtfeat_redis_resyncs_total", "Full rewrites of Redis from state: it lost data, or --resync.",
            m.redis_resyncs);
  x.counter(
    "rtfeat_redis_orphan_keys_deleted_total",
    "Keys a resync's orphan sweep deleted: in Redis after a loss, held by no shard's state.",
    m.redis_orphans_deleted);
  x.counter("rtfeat_redis_moved_total", "Redis Cluster: sink writes resent after MOVED (the slot had moved).",
            m.redis_moved);
  x.counter("rtfeat_redis_ask_total", "Redis Cluster: sink writes resent after ASK (the slot was migrating).",
            m.redis_ask);
  x.histogram("rtfeat_redis_write_seconds", "Round trip of one pipelined sink write.", m.redis_write_us, 1e6);
  x.histogram("rtfeat_sink_batch_commands", "Redis commands per pipelined sink write.", m.sink_batch_commands,
              1);
  x.family("rtfeat_stage_latency_seconds", "histogram",
           "Time an event spends in each stage of the node, per routed event (kafka: per message; sink_queue, "
           "redis: per key update).");
  for (size_t i = 0; i < stage_count; ++i)
    x.histogram_samples("rtfeat_stage_latency_seconds", "stage=\"" + std::string(stage_names[i]) + "\"",
                        m.stages.by_stage[i], 1e6);

  int64_t w = m.live_watermark();
  if (w == no_watermark) w = m.watermark.load();
  if (w != no_watermark) {  // no sample before the first watermark: there is no value yet
    x.gauge("rtfeat_watermark_seconds", "Event-time watermark of the node (Unix seconds).", seconds(w));
    x.gauge("rtfeat_watermark_lag_seconds", "Wall clock minus the watermark.", seconds(now_unix_ms - w));
  }

  x.counter("rtfeat_checkpoints_completed_total", "Checkpoints this node's run saw complete.",
            m.checkpoints_completed);
  x.counter("rtfeat_checkpoints_failed_total", "Checkpoints aborted (timeout, failed write).",
            m.checkpoints_failed);
  x.gauge("rtfeat_last_checkpoint_id", "Id of the last completed checkpoint.",
          static_cast<double>(m.last_checkpoint_id.load()));
  x.gauge("rtfeat_last_checkpoint_duration_seconds", "Barrier injection to commit, last completed checkpoint.",
          seconds(m.last_checkpoint_ms));
  x.family("rtfeat_last_checkpoint_phase_seconds", "gauge",
           "Phases of the last completed checkpoint, slowest shard: barrier alignment, the encode that pauses "
           "it, the background file write.");
  x.sample("rtfeat_last_checkpoint_phase_seconds", "phase=\"align\"", seconds(m.last_checkpoint_align_ms));
  x.sample("rtfeat_last_checkpoint_phase_seconds", "phase=\"encode\"", seconds(m.last_checkpoint_encode_ms));
  x.sample("rtfeat_last_checkpoint_phase_seconds", "phase=\"write\"", seconds(m.last_checkpoint_write_ms));
  x.gauge("rtfeat_last_checkpoint_bytes", "Snapshot bytes of the last completed checkpoint.",
          static_cast<double>(m.last_checkpoint_bytes.load()));
  x.gauge("rtfeat_last_checkpoint_written_bytes",
          "Bytes of the snapshot files the last completed checkpoint wrote (unchanged key groups are referenced).",
          static_cast<double>(m.last_checkpoint_written_bytes.load()));

  x.family("rtfeat_state_entities", "gauge",
           "Entities (users, items, categories) holding state, by feature, as of the last checkpoint.");
  for (const auto& [feature, n] : m.entities())
    x.sample("rtfeat_state_entities", "feature=\"" + prometheus_label_value(feature) + "\"",
             static_cast<double>(n));
  return x.take();
}

}  // namespace rtfeat

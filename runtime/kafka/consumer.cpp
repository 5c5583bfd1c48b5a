// librdkafka consumer adapter (see consumer.hpp). Errors come back as text
// with topic and partition; nothing here throws.
#include "runtime/kafka/consumer.hpp"

#include <librdkafka/rdkafka.h>

#include <algorithm>

namespace rtfeat {

namespace {

rd_kafka_t* handle(void* p) { return static_cast<rd_kafka_t*>(p); }

bool set(rd_kafka_conf_t* conf, const char* key, const std::string& value, std::string& error) {
  char err[512];
  if (rd_kafka_conf_set(conf, key, value.c_str(), err, sizeof err) == RD_KAFKA_CONF_OK) return true;
  error = std::string("kafka config ") + key + ": " + err;
  return false;
}

/// One partition's queue, detached from the consumer queue so it is polled alone.
class kafka_partition_source final : public message_source {
public:
  kafka_partition_source(rd_kafka_queue_t* q, int64_t start, int64_t end) : queue_(q), next_(start), end_(end) {}
  ~kafka_partition_source() override { rd_kafka_queue_destroy(queue_); }
  kafka_partition_source(const kafka_partition_source&) = delete;
  kafka_partition_source& operator=(const kafka_partition_source&) = delete;

  size_t poll(size_t max, const visitor& fn) override {
    if (at_end()) return 0;
    batch_.resize(max);
    auto got = rd_kafka_consume_batch_queue(queue_, 0, batch_.data(), max);
    size_t delivered = 0;
    for (ssize_t i = 0; i < got; ++i) {
      auto* m = batch_[static_cast<size_t>(i)];
      if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR && (end_ < 0 || m->offset < end_)) {
        next_ = m->offset + 1;
        timestamp_ms_ = rd_kafka_message_timestamp(m, nullptr);
        fn(m->offset, std::string_view(static_cast<const char*>(m->payload), m->len));
        ++delivered;
      }
      rd_kafka_message_destroy(m);
    }
    return delivered;
  }

  bool at_end() const override { return end_ >= 0 && next_ >= end_; }
  int64_t message_timestamp_ms() const override { return timestamp_ms_; }

private:
  rd_kafka_queue_t* queue_;
  int64_t next_;
  int64_t end_;  // -1 = unbounded
  int64_t timestamp_ms_ = -1;  // of the message being visited
  std::vector<rd_kafka_message_t*> batch_;
};

}  // namespace

kafka_consumer::~kafka_consumer() {
  rd_kafka_assign(handle(rk_), nullptr);
  rd_kafka_destroy(handle(rk_));
}

std::unique_ptr<kafka_consumer> kafka_consumer::create(const std::string& bootstrap,
                                                       const std::string& group_id,
                                                       std::string& error) {
  auto* conf = rd_kafka_conf_new();
  bool ok = set(conf, "bootstrap.servers", bootstrap, error) && set(conf, "group.id", group_id, error)
            && set(conf, "enable.auto.commit", "false", error)
            && set(conf, "enable.auto.offset.store", "false", error)
            && set(conf, "enable.partition.eof", "false", error)
            && set(conf, "fetch.wait.max.ms", "10", error)
            && set(conf, "reconnect.backoff.max.ms", "1000", error)
            && set(conf, "log_level", "3", error);
  if (!ok) {
    rd_kafka_conf_destroy(conf);
    return nullptr;
  }
  char err[512];
  auto* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (rk == nullptr) {
    error = std::string("kafka consumer: ") + err;
    return nullptr;
  }
  rd_kafka_poll_set_consumer(rk);
  return std::unique_ptr<kafka_consumer>(new kafka_consumer(rk));
}

int32_t kafka_consumer::partition_count(const std::string& topic, std::string& error) {
  auto* rkt = rd_kafka_topic_new(handle(rk_), topic.c_str(), nullptr);
  const rd_kafka_metadata_t* md = nullptr;
  auto err = rd_kafka_metadata(handle(rk_), 0, rkt, &md, 10000);
  rd_kafka_topic_destroy(rkt);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    error = "kafka metadata for topic '" + topic + "': " + rd_kafka_err2str(err);
    return -1;
  }
  int32_t n = -1;
  if (md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR)
    n = md->topics[0].partition_cnt;
  else
    error = "kafka topic '" + topic + "' does not exist or has no partitions";
  rd_kafka_metadata_destroy(md);
  return n;
}

bool kafka_consumer::query_offsets(const std::string& topic, int32_t partitions,
                                   std::vector<partition_offsets>& out, std::string& error) {
  // One ListOffsets request per bound for every partition (the timestamps -2 and -1
  // mean earliest and latest): per-partition queries cost a round trip each, 100-200
  // ms of every node start and rollback with 200 partitions.
  out.assign(static_cast<size_t>(std::max(partitions, 0)), partition_offsets{});
  for (int64_t bound : {RD_KAFKA_OFFSET_BEGINNING, RD_KAFKA_OFFSET_END}) {
    auto* list = rd_kafka_topic_partition_list_new(std::max(partitions, 1));
    for (int32_t p = 0; p < partitions; ++p) rd_kafka_topic_partition_list_add(list, topic.c_str(), p)->offset = bound;
    auto err = rd_kafka_offsets_for_times(handle(rk_), list, 10000);
    std::string where = topic;
    for (int i = 0; err == RD_KAFKA_RESP_ERR_NO_ERROR && i < list->cnt; ++i) {
      const auto& tp = list->elems[i];
      err = tp.err;
      where = topic + "[" + std::to_string(tp.partition) + "]";
      auto& o = out[static_cast<size_t>(tp.partition)];
      o.partition = tp.partition;
      (bound == RD_KAFKA_OFFSET_BEGINNING ? o.low : o.high) = tp.offset;
    }
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) error = "kafka offsets of " + where + ": " + rd_kafka_err2str(err);
    rd_kafka_topic_partition_list_destroy(list);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return false;
  }
  return true;
}

std::vector<std::unique_ptr<message_source>> kafka_consumer::assign(
  const std::string& topic, const std::vector<int32_t>& partitions,
  const std::vector<int64_t>& start, const std::vector<int64_t>* end, std::string& error) {
  // Detach every partition queue *before* assigning: messages fetched into a
  // queue that still forwards to the consumer queue would never reach a reader.
  std::vector<std::unique_ptr<message_source>> out;
  for (size_t i = 0; i < partitions.size(); ++i) {
    auto* q = rd_kafka_queue_get_partition(handle(rk_), topic.c_str(), partitions[i]);
    if (q == nullptr) {
      error = "kafka: no queue for " + topic + "[" + std::to_string(partitions[i]) + "]";
      return {};
    }
    rd_kafka_queue_forward(q, nullptr);
    out.push_back(std::make_unique<kafka_partition_source>(q, start[i],
                                                           end != nullptr ? (*end)[i] : -1));
  }
  auto* list = rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size()));
  for (size_t i = 0; i < partitions.size(); ++i)
    rd_kafka_topic_partition_list_add(list, topic.c_str(), partitions[i])->offset = start[i];
  auto err = rd_kafka_assign(handle(rk_), list);
  rd_kafka_topic_partition_list_destroy(list);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    error = "kafka assign on '" + topic + "': " + rd_kafka_err2str(err);
    return {};
  }
  return out;
}

void kafka_consumer::poll_events(std::string& last_error, bool& all_brokers_down) {
  while (auto* m = rd_kafka_consumer_poll(handle(rk_), 0)) {
    if (m->err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) all_brokers_down = true;
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR)
      last_error = rd_kafka_message_errstr(m);
    else  // a broken invariant: data must only arrive on the partition queues
      last_error = "BUG: message of partition " + std::to_string(m->partition) + " offset "
                   + std::to_string(m->offset) + " reached the consumer queue and was lost";
    rd_kafka_message_destroy(m);
  }
}

}  // namespace rtfeat

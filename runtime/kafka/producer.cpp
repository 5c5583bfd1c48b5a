// kafka_producer: librdkafka configuration, the queue-full retry loop and the
// delivery-report bookkeeping. Delivery reports run inside poll/flush/send.
#include "runtime/kafka/producer.hpp"

#include <librdkafka/rdkafka.h>

namespace rtfeat {

namespace {

// Defaults (SPEC §4a): murmur2_random is Java's partitioner; idempotence keeps
// per-partition order when batches are retried and implies acks=all.
const std::pair<const char*, const char*> default_config[] = {
  {"partitioner", "murmur2_random"},
  {"enable.idempotence", "true"},
  {"acks", "all"},
  {"linger.ms", "5"},
  {"batch.num.messages", "10000"},
  {"queue.buffering.max.messages", "2000000"},
  {"message.max.bytes", "4194304"},  // room for oversize (> 64 KiB) dead letters
  {"reconnect.backoff.max.ms", "500"},
  {"log_level", "3"},
};

bool set_property(rd_kafka_conf_t* conf, const char* name, const char* value, std::string& error) {
  char buf[512];
  if (rd_kafka_conf_set(conf, name, value, buf, sizeof buf) == RD_KAFKA_CONF_OK) return true;
  error = std::string("kafka producer config ") + name + "=" + value + ": " + buf;
  return false;
}

}  // namespace

std::unique_ptr<kafka_producer> kafka_producer::create(const std::string& bootstrap,
                                                       std::string& error,
                                                       const config_overrides& overrides) {
  std::unique_ptr<kafka_producer> self(new kafka_producer());
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  bool ok = set_property(conf, "bootstrap.servers", bootstrap.c_str(), error);
  for (const auto& [name, value] : default_config)
    ok = ok && set_property(conf, name, value, error);
  for (const auto& [name, value] : overrides)
    ok = ok && set_property(conf, name.c_str(), value.c_str(), error);
  if (!ok) {
    rd_kafka_conf_destroy(conf);
    return nullptr;
  }
  rd_kafka_conf_set_opaque(conf, self.get());
  rd_kafka_conf_set_dr_msg_cb(conf, &kafka_producer::on_delivery);
  rd_kafka_conf_set_error_cb(conf, &kafka_producer::on_error);
  char buf[512];
  self->rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, buf, sizeof buf);  // owns conf on success
  if (self->rk_ == nullptr) {
    rd_kafka_conf_destroy(conf);
    error = std::string("kafka producer: ") + buf;
    return nullptr;
  }
  return self;
}

kafka_producer::~kafka_producer() {
  if (rk_ == nullptr) return;
  if (rd_kafka_outq_len(rk_) > 0) {
    rd_kafka_purge(rk_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(rk_, 0);  // purged messages get failed delivery reports
  }
  for (auto& [name, handle] : topics_) rd_kafka_topic_destroy(handle);
  rd_kafka_destroy(rk_);
}

rd_kafka_topic_s* kafka_producer::topic_handle(std::string_view topic) {
  if (auto it = topics_.find(topic); it != topics_.end()) return it->second;
  std::string name(topic);
  rd_kafka_topic_t* handle = rd_kafka_topic_new(rk_, name.c_str(), nullptr);
  if (handle != nullptr) topics_.emplace(std::move(name), handle);
  return handle;
}

bool kafka_producer::send(std::string_view topic, std::string_view key, std::string_view value) {
  rd_kafka_topic_t* rkt = topic_handle(topic);
  rd_kafka_resp_err_t err = rkt == nullptr ? rd_kafka_last_error() : RD_KAFKA_RESP_ERR_NO_ERROR;
  const void* key_ptr = key.empty() ? nullptr : key.data();  // null key: random partition
  void* value_ptr = const_cast<char*>(value.data());         // copied (F_COPY), never written
  while (rkt != nullptr) {
    // rd_kafka_produce, not producev: the V_ macros expand to C casts (-Wold-style-cast).
    if (rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, value_ptr, value.size(),
                         key_ptr, key.size(), nullptr)
        == 0) {
      err = RD_KAFKA_RESP_ERR_NO_ERROR;
      break;
    }
    err = rd_kafka_last_error();
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) break;
    rd_kafka_poll(rk_, 10);  // local queue full: serve delivery reports, retry
  }
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    failed_.fetch_add(1, std::memory_order_relaxed);
    set_error("send to " + std::string(topic) + " (" + std::to_string(value.size())
              + " bytes): " + rd_kafka_err2str(err));
    return false;
  }
  if (++sends_since_poll_ >= 256) {
    sends_since_poll_ = 0;
    rd_kafka_poll(rk_, 0);
  }
  return true;
}

void kafka_producer::poll(int timeout_ms) { rd_kafka_poll(rk_, timeout_ms); }

bool kafka_producer::flush(int timeout_ms) {
  return rd_kafka_flush(rk_, timeout_ms) == RD_KAFKA_RESP_ERR_NO_ERROR;
}

size_t kafka_producer::in_flight() const { return static_cast<size_t>(rd_kafka_outq_len(rk_)); }

std::string kafka_producer::last_error() const {
  std::lock_guard<std::mutex> guard(error_mutex_);
  return last_error_;
}

void kafka_producer::set_error(std::string message) {
  std::lock_guard<std::mutex> guard(error_mutex_);
  last_error_ = std::move(message);
}

void kafka_producer::on_delivery(rd_kafka_s*, const rd_kafka_message_s* msg, void* opaque) {
  auto* self = static_cast<kafka_producer*>(opaque);
  if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    self->delivered_.fetch_add(1, std::memory_order_relaxed);
    if (self->on_delivered_) self->on_delivered_(rd_kafka_message_latency(msg));
    return;
  }
  self->failed_.fetch_add(1, std::memory_order_relaxed);
  const std::string topic = rd_kafka_topic_name(msg->rkt);
  std::string error = "delivery to " + topic + " [" + std::to_string(msg->partition) + "]: " + rd_kafka_err2str(msg->err);
  if (self->on_failure_)
    self->on_failure_(topic, std::string_view(static_cast<const char*>(msg->payload), msg->len), error);
  self->set_error(std::move(error));
}

void kafka_producer::on_error(rd_kafka_s* rk, int err, const char* reason, void* opaque) {
  auto* self = static_cast<kafka_producer*>(opaque);
  std::string message = std::string("kafka: ") + reason;
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    char buf[512];
    rd_kafka_fatal_error(rk, buf, sizeof buf);
    message = std::string("kafka fatal: ") + buf;
  }
  self->set_error(std::move(message));
}

}  // namespace rtfeat

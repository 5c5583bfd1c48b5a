// kafka_mock_cluster: a host rd_kafka_t plus rd_kafka_mock_cluster_new (the
// experimental, not ABI-stable rdkafka_mock.h API of librdkafka 2.0.2).
#include "runtime/tools/kafka/mock_cluster.hpp"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

namespace rtfeat {

std::unique_ptr<kafka_mock_cluster> kafka_mock_cluster::create(int brokers, std::string& error) {
  std::unique_ptr<kafka_mock_cluster> self(new kafka_mock_cluster());
  char buf[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "log_level", "3", buf, sizeof buf) != RD_KAFKA_CONF_OK) {
    rd_kafka_conf_destroy(conf);
    error = std::string("kafka mock: ") + buf;
    return nullptr;
  }
  self->host_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, buf, sizeof buf);
  if (self->host_ == nullptr) {
    rd_kafka_conf_destroy(conf);
    error = std::string("kafka mock host client: ") + buf;
    return nullptr;
  }
  self->cluster_ = rd_kafka_mock_cluster_new(self->host_, brokers);
  if (self->cluster_ == nullptr) {
    error = "kafka mock: cannot start " + std::to_string(brokers) + " broker(s)";
    return nullptr;  // the destructor releases host_
  }
  self->bootstraps_ = rd_kafka_mock_cluster_bootstraps(self->cluster_);
  return self;
}

kafka_mock_cluster::~kafka_mock_cluster() {
  if (cluster_ != nullptr) rd_kafka_mock_cluster_destroy(cluster_);
  if (host_ != nullptr) rd_kafka_destroy(host_);
}

bool kafka_mock_cluster::create_topic(const std::string& name, int partitions, std::string& error,
                                      int replication_factor) {
  rd_kafka_resp_err_t err =
    rd_kafka_mock_topic_create(cluster_, name.c_str(), partitions, replication_factor);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return true;
  error = "kafka mock: create topic " + name + " (" + std::to_string(partitions)
          + " partitions): " + rd_kafka_err2str(err);
  return false;
}

}  // namespace rtfeat

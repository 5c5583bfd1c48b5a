// librdkafka's in-process mock Kafka cluster, for tests and `rtfeat mock-kafka`.
// Its brokers run on threads of this process; other processes reach them through
// bootstraps(). It keeps only ~5 MiB / 100000 messages per partition.
#pragma once

#include <memory>
#include <string>

struct rd_kafka_s;
struct rd_kafka_mock_cluster_s;

namespace rtfeat {

class kafka_mock_cluster {
public:
  /// Starts `brokers` mock brokers on 127.0.0.1 (ephemeral ports).
  /// Returns nullptr and sets `error` when that fails. REQUIRES: brokers >= 1.
  static std::unique_ptr<kafka_mock_cluster> create(int brokers, std::string& error);

  /// Stops the brokers; clients still connected see disconnects.
  ~kafka_mock_cluster();
  kafka_mock_cluster(const kafka_mock_cluster&) = delete;
  kafka_mock_cluster& operator=(const kafka_mock_cluster&) = delete;

  /// "127.0.0.1:PORT[,127.0.0.1:PORT...]", for bootstrap.servers.
  const std::string& bootstraps() const { return bootstraps_; }

  /// Creates `name` with `partitions` partitions (the mock has no CreateTopics
  /// admin API). Returns false and sets `error` on failure (e.g. it exists).
  bool create_topic(const std::string& name, int partitions, std::string& error,
                    int replication_factor = 1);

  /// The raw handle, for fault injection in tests (rdkafka_mock.h).
  rd_kafka_mock_cluster_s* handle() const { return cluster_; }

private:
  kafka_mock_cluster() = default;

  rd_kafka_s* host_ = nullptr;  // the bookkeeping client the mock cluster needs
  rd_kafka_mock_cluster_s* cluster_ = nullptr;
  std::string bootstraps_;
};

}  // namespace rtfeat

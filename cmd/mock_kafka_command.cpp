// rtfeat mock-kafka: librdkafka's mock cluster as a process for tests and demos.
// Prints "bootstrap=HOST:PORT[,...]" as its first stdout line, then serves until
// SIGINT or SIGTERM, which it waits for synchronously and answers with exit 0.
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "cmd/commands.hpp"
#include "runtime/tools/kafka/mock_cluster.hpp"

namespace rtfeat::cmd {

namespace {

struct mock_options {
  int partitions = 8;
  int brokers = 1;
  std::string topic = "events";
};

int run_mock_kafka(const mock_options& o) {
  // Blocked before librdkafka starts its threads, so they inherit the mask and
  // the signals can only reach sigwait below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::string error;
  auto cluster = kafka_mock_cluster::create(o.brokers, error);
  if (cluster == nullptr || !cluster->create_topic(o.topic, o.partitions, error)) {
    std::fprintf(stderr, "mock-kafka: %s\n", error.c_str());
    return 1;
  }
  std::printf("bootstrap=%s\n", cluster->bootstraps().c_str());
  std::fflush(stdout);
  std::fprintf(stderr,
               "mock-kafka: topic %s (%d partitions) on %d broker(s); stop with SIGINT/SIGTERM\n"
               "mock-kafka: note: the mock keeps only ~5 MiB / 100000 messages per partition; "
               "older messages are dropped (the low watermark moves)\n",
               o.topic.c_str(), o.partitions, o.brokers);
  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::fprintf(stderr, "mock-kafka: %s, stopping\n", strsignal(signal));
  cluster.reset();
  return 0;
}

}  // namespace

void add_mock_kafka(CLI::App& app) {
  auto opts = std::make_shared<mock_options>();
  auto* sub = app.add_subcommand("mock-kafka", "run librdkafka's mock Kafka cluster");
  sub->add_option("--partitions", opts->partitions, "partitions of the topic")
    ->capture_default_str()
    ->check(CLI::Range(1, 100000));
  sub->add_option("--topic", opts->topic, "topic to create")->capture_default_str();
  sub->add_option("--brokers", opts->brokers, "mock brokers")
    ->capture_default_str()
    ->check(CLI::Range(1, 100000));
  sub->callback([opts] { exit_code() = run_mock_kafka(*opts); });
}

}  // namespace rtfeat::cmd

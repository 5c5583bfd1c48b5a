// File and Kafka dead-letter writers (see dead_letter_writer.hpp). The Kafka
// writer owns a file writer for what the topic refuses: synchronously (a
// record above the topic's size limit) or in a failed delivery report.
#include "runtime/dead_letter/dead_letter_writer.hpp"

#include <filesystem>
#include <fstream>

#include "runtime/dead_letter/dead_letter_record.hpp"
#include "runtime/kafka/producer.hpp"

namespace rtfeat {

namespace {

class file_writer final : public dead_letter_writer {
public:
  file_writer(std::ofstream out, const dead_letter_settings& s) : out_(std::move(out)), settings_(s) {}
  bool write(reject_reason reason, int32_t partition, int64_t offset, std::string_view payload) override {
    return write_line(dead_letter_record(reason, settings_.topic, partition, offset, payload,
                                         settings_.max_payload_bytes));
  }
  /// Writes a ready record (one line).
  bool write_line(std::string_view record) {
    out_ << record << '\n';
    return static_cast<bool>(out_);
  }
  bool flush() override { return static_cast<bool>(out_.flush()); }
  std::string last_error() const override {
    return out_ ? "" : settings_.path + ": dead-letter file write failed";
  }

private:
  std::ofstream out_;
  dead_letter_settings settings_;
};

std::unique_ptr<file_writer> open_file(const dead_letter_settings& s, std::string& error) {
  auto dir = std::filesystem::path(s.path).parent_path();
  std::error_code ec;
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  std::ofstream out(s.path, std::ios::app | std::ios::binary);
  if (!out) {
    error = s.path + ": cannot open dead-letter file";
    return nullptr;
  }
  return std::make_unique<file_writer>(std::move(out), s);
}

class topic_writer final : public dead_letter_writer {
public:
  topic_writer(std::unique_ptr<file_writer> refused, std::unique_ptr<kafka_producer> p,
               const dead_letter_settings& s)
    : refused_(std::move(refused)), producer_(std::move(p)), settings_(s), dlq_(s.topic + ".dlq") {
    producer_->on_failure([this](std::string_view, std::string_view record, const std::string& error) {
      keep_refused(record, error);
    });
  }
  // The producer goes first: its destructor reports purged messages to keep_refused,
  // which needs every other member.
  ~topic_writer() override { producer_.reset(); }
  topic_writer(const topic_writer&) = delete;
  topic_writer& operator=(const topic_writer&) = delete;
  bool write(reject_reason reason, int32_t partition, int64_t offset, std::string_view payload) override {
    auto record = dead_letter_record(reason, settings_.topic, partition, offset, payload,
                                     settings_.max_payload_bytes);
    if (producer_->send(dlq_, {}, record)) return true;
    return keep_refused(record, producer_->last_error());
  }
  bool flush() override {
    bool delivered = producer_->flush(30000);
    bool kept = refused_->flush();
    return delivered && kept && lost_ == 0;
  }
  std::string last_error() const override {
    if (lost_ > 0) return std::to_string(lost_) + " dead letters lost: " + refused_->last_error();
    return producer_->last_error();
  }
  std::string summary() const override {
    if (refused_count_ == 0) return {};
    return std::to_string(refused_count_) + " dead letters refused by Kafka topic " + dlq_ + " were written to "
           + settings_.path + " (last refusal: " + last_refusal_ + ")";
  }

private:
  bool keep_refused(std::string_view record, const std::string& error) {
    ++refused_count_;
    last_refusal_ = error;
    if (refused_->write_line(with_dlq_error(record, error))) return true;
    ++lost_;
    return false;
  }

  std::unique_ptr<file_writer> refused_;
  std::unique_ptr<kafka_producer> producer_;
  dead_letter_settings settings_;
  std::string dlq_;
  uint64_t refused_count_ = 0;
  uint64_t lost_ = 0;
  std::string last_refusal_;
};

}  // namespace

std::unique_ptr<dead_letter_writer> open_dead_letter_file(const dead_letter_settings& s, std::string& error) {
  return open_file(s, error);
}

std::unique_ptr<dead_letter_writer> open_dead_letter_topic(const dead_letter_settings& s, std::string& error) {
  auto refused = open_file(s, error);
  if (!refused) return nullptr;
  auto p = kafka_producer::create(s.bootstrap, error,
                                  {{"message.max.bytes", std::to_string(s.kafka_max_message_bytes)}});
  if (!p) return nullptr;
  return std::make_unique<topic_writer>(std::move(refused), std::move(p), s);
}

}  // namespace rtfeat

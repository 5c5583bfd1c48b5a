// File and Kafka dead-letter writers (see dead_letter_writer.hpp).
#include "runtime/dead_letter/dead_letter_writer.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "runtime/kafka/producer.hpp"

namespace rtfeat {

namespace {

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

class file_writer final : public dead_letter_writer {
public:
  file_writer(std::ofstream out, std::string topic) : out_(std::move(out)), topic_(std::move(topic)) {}
  bool write(reject_reason reason, int32_t partition, int64_t offset, std::string_view payload) override {
    out_ << dead_letter_record(reason, topic_, partition, offset, payload) << '\n';
    return static_cast<bool>(out_);
  }
  bool flush() override { return static_cast<bool>(out_.flush()); }
  std::string last_error() const override { return out_ ? "" : "dead-letter file write failed"; }

private:
  std::ofstream out_;
  std::string topic_;
};

class topic_writer final : public dead_letter_writer {
public:
  topic_writer(std::unique_ptr<kafka_producer> p, std::string topic)
    : producer_(std::move(p)), topic_(std::move(topic)), dlq_(topic_ + ".dlq") {}
  bool write(reject_reason reason, int32_t partition, int64_t offset, std::string_view payload) override {
    return producer_->send(dlq_, {}, dead_letter_record(reason, topic_, partition, offset, payload));
  }
  bool flush() override { return producer_->flush(30000) && producer_->failed() == 0; }
  std::string last_error() const override { return producer_->last_error(); }

private:
  std::unique_ptr<kafka_producer> producer_;
  std::string topic_;
  std::string dlq_;
};

}  // namespace

std::string dead_letter_record(reject_reason reason, std::string_view topic, int32_t partition,
                               int64_t offset, std::string_view payload) {
  std::string out = "{\"reason\":\"";
  out += to_string(reason);
  out += "\",\"topic\":";
  append_json_string(out, topic);
  out += ",\"partition\":" + std::to_string(partition) + ",\"offset\":" + std::to_string(offset);
  out += ",\"payload\":";
  append_json_string(out, payload);
  out += '}';
  return out;
}

std::unique_ptr<dead_letter_writer> open_dead_letter_file(const std::string& path,
                                                          const std::string& topic,
                                                          std::string& error) {
  auto dir = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  std::ofstream out(path, std::ios::app | std::ios::binary);
  if (!out) {
    error = path + ": cannot open dead-letter file";
    return nullptr;
  }
  return std::make_unique<file_writer>(std::move(out), topic);
}

std::unique_ptr<dead_letter_writer> open_dead_letter_topic(const std::string& bootstrap,
                                                           const std::string& topic,
                                                           std::string& error) {
  auto p = kafka_producer::create(bootstrap, error);
  if (!p) return nullptr;
  return std::make_unique<topic_writer>(std::move(p), topic);
}

}  // namespace rtfeat

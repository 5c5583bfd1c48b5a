// JSONL replay into Kafka (see line_producer.hpp).
#include "runtime/tools/kafka/line_producer.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "runtime/source/message_key.hpp"

namespace rtfeat {

bool produce_lines(std::FILE* in, std::string_view topic, kafka_producer& producer, uint64_t& sent,
                   std::string& error, const std::function<void(uint64_t)>& on_sent) {
  message_key_extractor keys;
  char* buf = nullptr;
  size_t capacity = 0;
  ssize_t n = 0;
  bool ok = true;
  while (ok && (n = ::getline(&buf, &capacity, in)) >= 0) {
    std::string_view line(buf, static_cast<size_t>(n));
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    const auto key = keys.user_id(line);
    ok = producer.send(topic, key.value_or(std::string_view{}), line) && producer.failed() == 0;
    if (!ok) error = "sending to " + std::string(topic) + " failed: " + producer.last_error();
    sent += ok ? 1 : 0;
    if (on_sent) on_sent(sent);
  }
  std::free(buf);
  if (std::ferror(in) != 0)
    return error = std::string("cannot read: ") + std::strerror(errno), false;
  return ok;
}

}  // namespace rtfeat

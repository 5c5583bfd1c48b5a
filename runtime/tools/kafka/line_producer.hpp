// Replaying a JSONL file into Kafka, shared by `rtfeat produce` and `rtfeat drill
// --from`: one message per line (malformed ones too), keyed like `rtfeat gen`
// (user_id via message_key_extractor), so file order is kept inside each partition.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include "runtime/kafka/producer.hpp"

namespace rtfeat {

/// Sends every line of `in` (without its newline) to `topic`, counting them in
/// `sent`; `on_sent(sent)` runs after each one (progress). False with `error` when
/// reading fails or librdkafka refuses a message. Delivery is not awaited: flush.
/// Blocks: reads the file, and while the producer's queue is full.
bool produce_lines(std::FILE* in, std::string_view topic, kafka_producer& producer, uint64_t& sent,
                   std::string& error, const std::function<void(uint64_t)>& on_sent = {});

}  // namespace rtfeat

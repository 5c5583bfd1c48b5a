// message_key_extractor: a simdjson DOM parse (full validation, as event_parser
// does), then a walk over the top-level fields. Truncated or non-object payloads
// yield no key, whatever they start with.
#include "runtime/source/message_key.hpp"

namespace rtfeat {

namespace sj = simdjson;

std::optional<std::string_view> message_key_extractor::user_id(std::string_view payload) {
  buffer_.assign(payload);
  buffer_.resize(payload.size() + sj::SIMDJSON_PADDING);
  sj::dom::element doc;
  sj::dom::object obj;
  if (parser_.parse(buffer_.data(), payload.size(), false).get(doc) != sj::SUCCESS
      || doc.get_object().get(obj) != sj::SUCCESS)
    return std::nullopt;
  bool found = false;
  for (auto [name, value] : obj) {
    if (name != "user_id") continue;
    std::string_view id;
    found = value.get_string().get(id) == sj::SUCCESS && !id.empty();  // last one wins
    if (found) key_.assign(id);
  }
  if (!found) return std::nullopt;
  return std::string_view(key_);
}

}  // namespace rtfeat

// What the sink needs of each reply to its pipeline, taken while hiredis's parser
// reads it, without building redisReply objects: a calloc and a free per reply
// (and per element) were a third of reading them.
#pragma once

#include <string>

namespace rtfeat {

/// One reply as scanned: whether it is or holds an error, and its bulk string.
struct reply_scan {
  bool error = false;         // an error reply, at any depth (EXEC returns its commands' so)
  bool nested_error = false;  // the error was an element, not the reply itself
  std::string error_text;     // the reply's own error, or the first nested one
  bool has_string = false;    // the reply is a bulk string (not nil, not an array)
  std::string string;

  void reset() { error = nested_error = has_string = false; }
};

/// From now on the replies `reader` (a redisReader*) reads are scanned into `into`,
/// the last one read winning; redisGetReply's object is then a placeholder: never
/// read or free it. `into` must outlive the reader or the next call.
void scan_replies_into(void* reader, reply_scan& into);

}  // namespace rtfeat

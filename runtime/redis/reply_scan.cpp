// Reply scanning through hiredis's parser (see reply_scan.hpp): hiredis calls these
// for every reply and element, with the reader's privdata in each task.
#include "runtime/redis/reply_scan.hpp"

#include <hiredis/hiredis.h>

namespace rtfeat {

namespace {

reply_scan& scan_of(const redisReadTask* task) { return *static_cast<reply_scan*>(task->privdata); }

/// A reply starts with its top-level task: forget the previous one.
reply_scan& begin(const redisReadTask* task) {
  auto& s = scan_of(task);
  if (task->parent == nullptr) s.reset();
  return s;
}

void* string_of(const redisReadTask* task, char* str, size_t len) {
  auto& s = begin(task);
  if (task->type == REDIS_REPLY_ERROR && !s.error) {
    s.error = true, s.nested_error = task->parent != nullptr;
    s.error_text.assign(str, len);
  } else if (task->type == REDIS_REPLY_STRING && task->parent == nullptr) {
    s.has_string = true;
    s.string.assign(str, len);
  }
  return task->privdata;  // not null: null would mean out of memory
}

void* array_of(const redisReadTask* task, int /*elements*/) { return begin(task), task->privdata; }
void* integer_of(const redisReadTask* task, long long /*value*/) {
  return begin(task), task->privdata;
}
void* nil_of(const redisReadTask* task) { return begin(task), task->privdata; }
void free_nothing(void* /*reply*/) {}

redisReplyObjectFunctions scan_functions{string_of, array_of, integer_of, nil_of, free_nothing};

}  // namespace

void scan_replies_into(void* reader, reply_scan& into) {
  auto* r = static_cast<redisReader*>(reader);
  r->fn = &scan_functions;
  r->privdata = &into;
}

}  // namespace rtfeat

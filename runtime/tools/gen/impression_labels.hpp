// The label rule of `rtfeat gen --labels`: every accepted view is an impression,
// positive when the same user clicks, carts or purchases the same item at an event
// time in (view ts, view ts + window]. Computed from parsed events as written to
// the log, so a follow-up that was corrupted or never emitted does not count.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/event.hpp"

namespace rtfeat {

struct impression {
  std::string user_id;
  std::string item_id;
  int64_t ts = 0;
  bool positive = false;
};

/// Collects the accepted events of a log, then labels its views. Event time decides,
/// not log order: an out-of-order or late response still counts when its ts is in
/// the window, and one with ts equal to the view's does not (it cannot follow it).
class impression_labeler {
public:
  /// Records one accepted event (event_parser said yes), in log order.
  void add(const event& e);

  /// One impression per recorded view, in log order. REQUIRES: window_ms >= 0.
  std::vector<impression> label(int64_t window_ms);

private:
  static std::string pair_key(const std::string& user_id, const std::string& item_id);

  struct view {
    std::string user_id;
    std::string item_id;
    int64_t ts = 0;
  };
  std::vector<view> views_;
  std::unordered_map<std::string, std::vector<int64_t>> responses_;  // user+item -> ts
};

}  // namespace rtfeat

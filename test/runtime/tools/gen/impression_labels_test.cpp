// impression_labeler: the label rule on hand-built logs, one boundary per case.
#include "runtime/tools/gen/impression_labels.hpp"

#include <string>
#include <vector>

#include <doctest/doctest.h>

using namespace rtfeat;

namespace {

constexpr int64_t t0 = 1767225600000;
constexpr int64_t window = 600'000;

event make(std::string user, behavior kind, std::string item, int64_t ts) {
  event e;
  e.user_id = std::move(user);
  e.item_id = std::move(item);
  e.kind = kind;
  e.ts = ts;
  return e;
}

// The label of the single view u1/i1 at t0, given the other events of the log.
bool label_of_view(const std::vector<event>& others) {
  impression_labeler labeler;
  labeler.add(make("u1", behavior::view, "i1", t0));
  for (const event& e : others) labeler.add(e);
  const auto out = labeler.label(window);
  REQUIRE(out.size() == 1);
  CHECK(out[0].user_id == "u1");
  CHECK(out[0].item_id == "i1");
  CHECK(out[0].ts == t0);
  return out[0].positive;
}

}  // namespace

TEST_SUITE("runtime.gen.impression_labels") {
  TEST_CASE("a click, cart or purchase of the same item in the window makes the view positive") {
    CHECK(label_of_view({make("u1", behavior::click, "i1", t0 + 1)}));
    CHECK(label_of_view({make("u1", behavior::cart, "i1", t0 + 60'000)}));
    CHECK(label_of_view({make("u1", behavior::purchase, "i1", t0 + window)}));
  }

  TEST_CASE("the window is open at the view and closed at its end") {
    CHECK_FALSE(label_of_view({make("u1", behavior::click, "i1", t0)}));
    CHECK_FALSE(label_of_view({make("u1", behavior::click, "i1", t0 + window + 1)}));
    CHECK_FALSE(label_of_view({make("u1", behavior::click, "i1", t0 - 1)}));
  }

  TEST_CASE("another user, another item or a fav is no response") {
    CHECK_FALSE(label_of_view({make("u2", behavior::click, "i1", t0 + 1000),
                               make("u1", behavior::click, "i2", t0 + 1000),
                               make("u1", behavior::fav, "i1", t0 + 1000)}));
  }

  TEST_CASE("a second view is an impression of its own, not a response") {
    impression_labeler labeler;
    labeler.add(make("u1", behavior::view, "i1", t0));
    labeler.add(make("u1", behavior::view, "i1", t0 + 1000));
    const auto out = labeler.label(window);
    REQUIRE(out.size() == 2);
    CHECK_FALSE(out[0].positive);
    CHECK_FALSE(out[1].positive);
  }

  TEST_CASE("event time decides, not log order: a response logged before the view still counts") {
    impression_labeler labeler;
    labeler.add(make("u1", behavior::click, "i1", t0 + 5000));
    labeler.add(make("u1", behavior::view, "i1", t0));
    const auto out = labeler.label(window);
    REQUIRE(out.size() == 1);
    CHECK(out[0].positive);
  }

  TEST_CASE("one response labels every earlier view within its window, views stay in log order") {
    impression_labeler labeler;
    labeler.add(make("u1", behavior::view, "i1", t0));
    labeler.add(make("u1", behavior::view, "i1", t0 + 300'000));
    labeler.add(make("u1", behavior::view, "i1", t0 - 400'000));
    labeler.add(make("u1", behavior::click, "i1", t0 + 500'000));
    const auto out = labeler.label(window);
    REQUIRE(out.size() == 3);
    CHECK(out[0].ts == t0);
    CHECK(out[0].positive);
    CHECK(out[1].positive);
    CHECK(out[2].ts == t0 - 400'000);
    CHECK_FALSE(out[2].positive);  // 900 s before the click
  }

  TEST_CASE("ids that only differ in where one ends and the other starts are different pairs") {
    impression_labeler labeler;
    labeler.add(make("u1", behavior::view, "1i", t0));
    labeler.add(make("u11", behavior::click, "i", t0 + 1));
    CHECK_FALSE(labeler.label(window)[0].positive);
  }
}

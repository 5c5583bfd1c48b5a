// The messages that cross nodes survive CAF's serializer as registered by
// register_message_types (the path a remote send takes), and a malformed event
// batch from a peer is an error, not a crash or a silently empty batch.
#include <doctest/doctest.h>

#include "caf/all.hpp"
#include "actors/cluster_messages.hpp"
#include "actors/message_types.hpp"
#include "actors/messages.hpp"
#include "runtime/window/sliding_window.hpp"

using namespace rtfeat;

namespace {

struct test_system {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  test_system() {
    register_message_types(cfg);
    cfg.set("logger.verbosity", caf::atom("quiet"));
    sys = std::make_unique<caf::actor_system>(cfg);
  }
  /// Serializes `in` as a whole message (type names included) and reads it back.
  caf::error round_trip(const caf::message& in, caf::message& out) {
    std::vector<char> buf;
    caf::binary_serializer sink{*sys, buf};
    if (auto err = sink(const_cast<caf::message&>(in))) return err;
    caf::binary_deserializer source{*sys, buf};
    return source(out);
  }
};

routed_event sample_event(int i) {
  routed_event r;
  r.ev.user_id = "u" + std::to_string(i);
  r.ev.item_id = i % 2 ? "i9" : "";
  r.ev.region = "hz";
  r.ev.campaign_id = i % 3 ? "" : "c11";
  r.ev.ts = 1732450000123 + i;
  r.ev.category_id = -17 + i;
  r.ev.price = 59.9 * i;
  r.ev.has_price = i % 2 == 0;
  r.ev.amount = 0.5;
  r.ev.has_amount = i % 4 == 0;
  r.ev.has_category = true;
  r.ev.kind = static_cast<behavior>(i % 6);
  r.wm_at_read = i == 0 ? no_watermark : 1732449995000 + i;
  r.scopes = static_cast<uint32_t>(i) & 0x1f;
  return r;
}

void check_same(const event& a, const event& b) {
  CHECK(a.user_id == b.user_id);
  CHECK(a.item_id == b.item_id);
  CHECK(a.region == b.region);
  CHECK(a.campaign_id == b.campaign_id);
  CHECK(a.ts == b.ts);
  CHECK(a.category_id == b.category_id);
  CHECK(a.has_price == b.has_price);
  CHECK(a.has_amount == b.has_amount);
  CHECK(a.has_category == b.has_category);
  if (a.has_price) CHECK(a.price == b.price);
  if (a.has_amount) CHECK(a.amount == b.amount);
  CHECK(a.kind == b.kind);
}

}  // namespace

TEST_SUITE("actors.message_types") {
  TEST_CASE("an event batch crosses the serializer with every field") {
    test_system t;
    event_batch b;
    b.reader = 31;
    b.watermark = no_watermark;
    for (int i = 0; i < 50; ++i) b.events.push_back(sample_event(i));
    caf::message out;
    REQUIRE_FALSE(t.round_trip(caf::make_message(b), out));
    REQUIRE(out.match_elements<event_batch>());
    const auto& got = out.get_as<event_batch>(0);
    CHECK(got.reader == 31);
    CHECK(got.watermark == no_watermark);
    REQUIRE(got.events.size() == 50);
    for (size_t i = 0; i < 50; ++i) {
      CHECK(got.events[i].wm_at_read == b.events[i].wm_at_read);
      CHECK(got.events[i].scopes == b.events[i].scopes);
      check_same(got.events[i].ev, b.events[i].ev);
    }
  }

  TEST_CASE("barriers, positions, ends and snapshot reports cross the serializer") {
    test_system t;
    caf::message out;
    REQUIRE_FALSE(t.round_trip(caf::make_message(barrier_marker{3, 12}), out));
    CHECK(out.get_as<barrier_marker>(0).id == 12);
    REQUIRE_FALSE(t.round_trip(caf::make_message(reader_end{4, 1732449995000}), out));
    CHECK(out.get_as<reader_end>(0).watermark == 1732449995000);
    REQUIRE_FALSE(
      t.round_trip(caf::make_message(reader_position{12, 7, 1048576, no_watermark, 1732493195123}), out));
    CHECK(out.get_as<reader_position>(0).next_offset == 1048576);
    CHECK(out.get_as<reader_position>(0).watermark == no_watermark);
    CHECK(out.get_as<reader_position>(0).future_suspect == 1732493195123);  // checkpointed state
    snapshot_written w{12, true, "", {{5, "kg-5.snap", 819248, 0x3a1f09c2}}, {31, 7, 420}};
    REQUIRE_FALSE(t.round_trip(caf::make_message(w), out));
    CHECK(out.get_as<snapshot_written>(0).phases.align_ms == 31);
    CHECK(out.get_as<snapshot_written>(0).phases.write_ms == 420);
    REQUIRE(out.get_as<snapshot_written>(0).entries.size() == 1);
    CHECK(out.get_as<snapshot_written>(0).entries[0].file == "kg-5.snap");
    CHECK(out.get_as<snapshot_written>(0).entries[0].crc == 0x3a1f09c2);
    node_hello h;
    h.who = {2, "n3", "nodes=n1@h:1", 0x9c4f2a7be1d03356, 12, 3, "nonce", "challenge", "proof"};
    REQUIRE_FALSE(t.round_trip(caf::make_message(h), out));
    CHECK(out.get_as<node_hello>(0).who.node_id == "n3");
    CHECK(out.get_as<node_hello>(0).who.catalogue_hash == 0x9c4f2a7be1d03356);
    CHECK(out.get_as<node_hello>(0).who.epoch == 3);
    CHECK(out.get_as<node_hello>(0).who.proof == "proof");
  }

  TEST_CASE("a malformed or truncated event batch blob is refused") {
    event_batch b;
    b.events.push_back(sample_event(1));
    auto blob = encode_event_batch(b);
    event_batch out;
    CHECK(decode_event_batch(blob, out));
    for (size_t cut = 0; cut < blob.size(); ++cut) CHECK_FALSE(decode_event_batch(blob.substr(0, cut), out));
    CHECK_FALSE(decode_event_batch(blob + "x", out));
    auto huge = blob;
    huge[3] = '\x7f';  // an absurd event count for the bytes that follow
    CHECK_FALSE(decode_event_batch(huge, out));
  }
}

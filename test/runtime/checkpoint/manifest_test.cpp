// The manifest's JSON: round trip of every field (including "no watermark" and
// caller metadata), its own checksum line, and refusal of malformed manifests.
#include <doctest/doctest.h>

#include <string>

#include "runtime/checkpoint/crc32c.hpp"
#include "runtime/checkpoint/hex.hpp"
#include "runtime/checkpoint/manifest.hpp"

using namespace rtfeat;

namespace {

checkpoint_manifest sample_manifest() {
  checkpoint_manifest m;
  m.id = 12;
  m.created_ms = 1732450000123;
  m.catalogue_hash = 0xfedcba9876543210ull;
  m.snapshots = {{3, "kg-3.snap", 1048, 0xdeadbeef}, {0, "kg-0.snap", 48, 0}};
  m.positions = {{"events", 1, 0, std::nullopt, std::nullopt}, {"events", 0, 12345, 1732449995123, std::nullopt}};
  m.meta = {{"nodes", "2"}, {"note", "quote \" backslash \\ tab \t"}};
  return m;
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  s.replace(s.find(from), from.size(), to);
  return s;
}

// Recomputes the checksum line after an edit, as a careful hand edit would.
std::string reseal(std::string text) {
  const auto pos = text.rfind("\n  \"manifest_crc32c\"");
  const std::string crc = hex32(crc32c(std::string_view(text).substr(0, pos + 1)));
  return text.substr(0, pos + 1) + "  \"manifest_crc32c\": \"" + crc + "\"\n}\n";
}

}  // namespace

TEST_SUITE("runtime.checkpoint.manifest") {
  TEST_CASE("a manifest round-trips with no watermark, meta and sorted entries") {
    const std::string text = encode_manifest(sample_manifest());
    checkpoint_manifest m;
    std::string error;
    REQUIRE_MESSAGE(decode_manifest(text, m, error), error);
    CHECK(m.id == 12);
    CHECK(m.created_ms == 1732450000123);
    CHECK(m.catalogue_hash == 0xfedcba9876543210ull);
    REQUIRE(m.snapshots.size() == 2);
    CHECK(m.snapshots[0].key_group == 0);
    CHECK(m.snapshots[1].file == "kg-3.snap");
    CHECK(m.snapshots[1].size == 1048);
    CHECK(m.snapshots[1].crc == 0xdeadbeefu);
    REQUIRE(m.positions.size() == 2);
    CHECK(m.positions[0].partition == 0);
    CHECK(m.positions[0].next_offset == 12345);
    CHECK(m.positions[0].watermark == 1732449995123);
    CHECK_FALSE(m.positions[1].watermark.has_value());
    CHECK(m.meta == sample_manifest().meta);
    CHECK(m.snapshot_bytes() == 1096);
    CHECK(m.find(3) != nullptr);
    CHECK(m.find(4) == nullptr);
    CHECK(text.find("\"watermark\": null") != std::string::npos);
    CHECK(text.find("\"catalogue_hash\": \"0xfedcba9876543210\"") != std::string::npos);
  }
  TEST_CASE("a future-skew suspect round-trips and is absent when there is none") {
    auto in = sample_manifest();
    in.positions[1].future_suspect = 1732493195123;  // partition 0 once sorted
    const std::string text = encode_manifest(in);
    checkpoint_manifest m;
    std::string error;
    REQUIRE_MESSAGE(decode_manifest(text, m, error), error);
    REQUIRE(m.positions.size() == 2);
    CHECK(m.positions[0].future_suspect == 1732493195123);
    CHECK_FALSE(m.positions[1].future_suspect.has_value());
    CHECK(text.find("\"future_suspect\"") == text.rfind("\"future_suspect\""));  // written once
    // A manifest from before the rule (no key at all) loads with no suspect.
    REQUIRE(encode_manifest(sample_manifest()).find("future_suspect") == std::string::npos);
    REQUIRE_MESSAGE(decode_manifest(encode_manifest(sample_manifest()), m, error), error);
    CHECK_FALSE(m.positions[0].future_suspect.has_value());
  }
  TEST_CASE("a future_suspect that is not an integer is refused") {
    auto in = sample_manifest();
    in.positions[1].future_suspect = 7;
    const std::string text = reseal(replace(encode_manifest(in), "\"future_suspect\": 7", "\"future_suspect\": \"7\""));
    checkpoint_manifest m;
    std::string error;
    CHECK_FALSE(decode_manifest(text, m, error));
    CHECK(error.find("positions[0].future_suspect: not an integer") != std::string::npos);
  }
  TEST_CASE("an empty manifest round-trips") {
    checkpoint_manifest in, out;
    in.id = 1;
    std::string error;
    CHECK_MESSAGE(decode_manifest(encode_manifest(in), out, error), error);
    CHECK(out.id == 1);
  }
  TEST_CASE("any edit of a manifest breaks its checksum line") {
    const std::string text = replace(encode_manifest(sample_manifest()), "12345", "12346");
    checkpoint_manifest m;
    std::string error;
    CHECK_FALSE(decode_manifest(text, m, error));
    CHECK(error.find("manifest checksum mismatch (stored 0x") == 0);
  }
  TEST_CASE("a truncated manifest is refused") {
    const std::string text = encode_manifest(sample_manifest());
    checkpoint_manifest m;
    std::string error;
    CHECK_FALSE(decode_manifest(text.substr(0, text.size() / 2), m, error));
    CHECK(error.find("no manifest_crc32c line") == 0);
    CHECK_FALSE(decode_manifest("", m, error));
  }
  TEST_CASE("a snapshot file name that is not kg-<key group>.snap is refused") {
    auto in = sample_manifest();
    in.snapshots[0].file = "../../etc/passwd";
    checkpoint_manifest m;
    std::string error;
    CHECK_FALSE(decode_manifest(encode_manifest(in), m, error));
    CHECK(error.find("is not kg-3.snap") != std::string::npos);
  }
  TEST_CASE("a key group listed twice is refused") {
    auto in = sample_manifest();
    in.snapshots[0] = in.snapshots[1];
    checkpoint_manifest m;
    std::string error;
    CHECK_FALSE(decode_manifest(encode_manifest(in), m, error));
    CHECK(error.find("listed twice") != std::string::npos);
  }
  TEST_CASE("a resealed manifest with a field of the wrong type names the field") {
    const auto text =
      reseal(replace(encode_manifest(sample_manifest()), "\"size\": 1048", "\"size\": -5"));
    checkpoint_manifest m;
    std::string error;
    CHECK_FALSE(decode_manifest(text, m, error));
    CHECK(error == "snapshots[1].size: not an unsigned integer");
    CHECK(decode_manifest(reseal(encode_manifest(sample_manifest())), m, error));
  }
  TEST_CASE("a newer manifest version is refused") {
    const auto text =
      reseal(replace(encode_manifest(sample_manifest()), "\"version\": 1", "\"version\": 3"));
    checkpoint_manifest m;
    std::string error;
    CHECK_FALSE(decode_manifest(text, m, error));
    CHECK(error.find("version 3") != std::string::npos);
  }

  TEST_CASE("a reference to an older checkpoint's file round-trips as version 2") {
    auto in = sample_manifest();
    in.snapshots[0].stored_in = 9;
    const auto text = encode_manifest(in);
    CHECK(text.find("\"version\": 2") != std::string::npos);
    CHECK(text.find("\"stored_in\": 9") != std::string::npos);
    checkpoint_manifest out;
    std::string error;
    REQUIRE_MESSAGE(decode_manifest(text, out, error), error);
    REQUIRE(out.find(3) != nullptr);
    CHECK(out.find(3)->stored_in == 9);
    CHECK(out.find(3)->home(out.id) == 9);
    CHECK(out.find(0)->stored_in == 0);
    CHECK(out.find(0)->home(out.id) == 12);
    CHECK(out.referenced_count() == 1);
    CHECK(out.snapshot_bytes() == 1048 + 48);
    CHECK(out.written_bytes() == 48);
  }

  TEST_CASE("a manifest without references stays version 1") {
    CHECK(encode_manifest(sample_manifest()).find("\"version\": 1,") != std::string::npos);
  }

  TEST_CASE("a reference to the same or a newer checkpoint is refused") {
    for (uint64_t bad : {uint64_t{12}, uint64_t{13}}) {
      auto in = sample_manifest();
      in.snapshots[0].stored_in = 5;
      const auto text = reseal(replace(encode_manifest(in), "\"stored_in\": 5", "\"stored_in\": " + std::to_string(bad)));
      checkpoint_manifest out;
      std::string error;
      CHECK_FALSE(decode_manifest(text, out, error));
      CHECK_MESSAGE(error.find("stored_in") != std::string::npos, error);
    }
  }
}

// The snapshot file codec: round trip, and every kind of damage refused with a
// message that says what was wrong (flipped byte, truncation, magic, version).
#include <doctest/doctest.h>

#include <string>

#include "runtime/checkpoint/snapshot_file.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"

using namespace rtfeat;
using rtfeat::test::temp_dir;

namespace {

std::string sample_body() {
  std::string body;
  for (int i = 0; i < 5000; ++i) body.push_back(static_cast<char>((i * 37) & 0xFF));
  return body;
}

std::string write_sample(const temp_dir& dir, snapshot_header& h) {
  const std::string path = dir.path() + "/kg-17.snap";
  h.catalogue_hash = 0x0123456789abcdefull;
  h.checkpoint_id = 42;
  h.key_group = 17;
  std::string error;
  REQUIRE(write_snapshot_file(path, h, sample_body(), error));
  return path;
}

}  // namespace

TEST_SUITE("runtime.checkpoint.snapshot_file") {
  TEST_CASE("a snapshot reads back with its header fields and body") {
    temp_dir dir;
    snapshot_header written;
    const auto path = write_sample(dir, written);
    CHECK(written.file_size() == snapshot_header_size + 5000);
    CHECK(test::slurp(path).substr(0, 4) == "RTFS");
    snapshot_header h;
    std::string body, error;
    REQUIRE(read_snapshot_file(path, h, &body, error) == snapshot_status::ok);
    CHECK(body == sample_body());
    CHECK(h.catalogue_hash == 0x0123456789abcdefull);
    CHECK(h.checkpoint_id == 42);
    CHECK(h.key_group == 17);
    CHECK(h.body_size == 5000);
    CHECK(h.body_crc == written.body_crc);
    CHECK(read_snapshot_file(path, h, nullptr, error) == snapshot_status::ok);
  }
  TEST_CASE("an empty body is a valid snapshot") {
    temp_dir dir;
    snapshot_header h{};
    std::string body = "x", error;
    REQUIRE(write_snapshot_file(dir.path() + "/kg-0.snap", h, "", error));
    CHECK(read_snapshot_file(dir.path() + "/kg-0.snap", h, &body, error) == snapshot_status::ok);
    CHECK(body.empty());
  }
  TEST_CASE("a flipped byte in the body is a checksum mismatch naming both values") {
    temp_dir dir;
    snapshot_header h;
    const auto path = write_sample(dir, h);
    test::flip_byte(path, 1000);
    std::string body, error;
    CHECK(read_snapshot_file(path, h, &body, error) == snapshot_status::checksum_mismatch);
    CHECK(error.find("kg-17.snap: checksum mismatch (stored 0x") == 0);
    CHECK(error.find(", computed 0x") != std::string::npos);
    CHECK(read_snapshot_file(path, h, nullptr, error) == snapshot_status::checksum_mismatch);
  }
  TEST_CASE("a flipped byte in the header fails the header checksum") {
    temp_dir dir;
    snapshot_header h;
    const auto path = write_sample(dir, h);
    test::flip_byte(path, 20);  // inside the checkpoint id
    std::string error;
    CHECK(read_snapshot_file(path, h, nullptr, error) == snapshot_status::bad_header);
    CHECK(error.find("header checksum mismatch") != std::string::npos);
  }
  TEST_CASE("a truncated file says how long it should be") {
    temp_dir dir;
    snapshot_header h;
    const auto path = write_sample(dir, h);
    test::spit(path, test::slurp(path).substr(0, 1000));
    std::string error;
    CHECK(read_snapshot_file(path, h, nullptr, error) == snapshot_status::size_mismatch);
    CHECK(
      error
      == "kg-17.snap: truncated: header says 5048 bytes (48 header + 5000 body), file has 1000");
    test::spit(path, test::slurp(path).substr(0, 30));
    CHECK(read_snapshot_file(path, h, nullptr, error) == snapshot_status::bad_header);
    CHECK(error.find("truncated: file has 30 bytes") != std::string::npos);
  }
  TEST_CASE("bytes appended after the body are refused") {
    temp_dir dir;
    snapshot_header h;
    const auto path = write_sample(dir, h);
    test::spit(path, test::slurp(path) + "junk");
    std::string error;
    CHECK(read_snapshot_file(path, h, nullptr, error) == snapshot_status::size_mismatch);
    CHECK(error.find("trailing bytes") != std::string::npos);
  }
  TEST_CASE("a wrong magic or an unknown version is refused") {
    temp_dir dir;
    snapshot_header h;
    const auto path = write_sample(dir, h);
    const std::string good = test::slurp(path);
    std::string bad = good, error;
    bad[0] = 'X';
    test::spit(path, bad);
    CHECK(read_snapshot_file(path, h, nullptr, error) == snapshot_status::bad_header);
    CHECK(error.find("not a snapshot file") != std::string::npos);
    bad = good;
    bad[4] = 2;  // version 2, little-endian
    test::spit(path, bad);
    CHECK(read_snapshot_file(path, h, nullptr, error) == snapshot_status::bad_header);
    CHECK(error == "kg-17.snap: unsupported format version 2 (this build reads 1)");
  }
  TEST_CASE("a missing file is an I/O error naming the path") {
    temp_dir dir;
    snapshot_header h;
    std::string error;
    CHECK(read_snapshot_file(dir.path() + "/kg-9.snap", h, nullptr, error)
          == snapshot_status::io_error);
    CHECK(error.find("kg-9.snap") != std::string::npos);
  }
  TEST_CASE("the header layout is fixed little-endian") {
    snapshot_header h;
    h.catalogue_hash = 0x1122334455667788ull;
    h.checkpoint_id = 7;
    h.key_group = 0x01020304;
    h.body_size = 0x100;
    const std::string b = encode_snapshot_header(h);
    REQUIRE(b.size() == snapshot_header_size);
    CHECK(b[4] == 1);
    CHECK(b[6] == 48);
    CHECK(static_cast<unsigned char>(b[8]) == 0x88);
    CHECK(b[16] == 7);
    CHECK(b[24] == 4);
    CHECK(b[33] == 1);
    snapshot_header back;
    std::string error;
    CHECK(decode_snapshot_header(b, 48 + 0x100, "x", back, error) == snapshot_status::ok);
    CHECK(back.key_group == 0x01020304u);
  }
}

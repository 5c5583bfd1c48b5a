// Offline tables: the header and its id column, each row checked (column count,
// id rules) and turned into the fields of its Redis hash, and the key it goes to.
#include <doctest/doctest.h>

#include "runtime/entity_id.hpp"
#include "runtime/offline/offline_table.hpp"

using namespace rtfeat;

namespace {

offline_header header_of(const std::vector<std::string>& columns,
                         const std::string& id = "user_id") {
  offline_header h;
  std::string error;
  REQUIRE_MESSAGE(parse_offline_header(columns, id, h, error), error);
  return h;
}

std::string header_error(const std::vector<std::string>& columns,
                         const std::string& id = "user_id") {
  offline_header h;
  std::string error;
  CHECK_FALSE(parse_offline_header(columns, id, h, error));
  return error;
}

using pairs = std::vector<std::pair<std::string_view, std::string_view>>;

}  // namespace

TEST_SUITE("runtime.offline.offline_table") {
  TEST_CASE("keys carry the id as a Redis Cluster hash tag, like the engine's") {
    CHECK(offline_key(model_entity::user, "u42") == "user:offline:{u42}");
    CHECK(offline_key(model_entity::item, "i9") == "item:offline:{i9}");
    CHECK(default_id_column(model_entity::user) == "user_id");
    CHECK(default_id_column(model_entity::item) == "item_id");
  }

  TEST_CASE(
    "the id column may be anywhere; the others become the hash's fields, empty cells left out") {
    auto h = header_of({"age", "user_id", "segment"});
    CHECK(h.id_column == 1);
    offline_row row;
    CHECK(parse_offline_row(h, {"31", "u7", "vip"}, row).empty());
    CHECK(row.id == "u7");
    CHECK(row.fields == pairs{{"age", "31"}, {"segment", "vip"}});
    CHECK(parse_offline_row(h, {"", "u8", "new"}, row).empty());
    CHECK(row.fields == pairs{{"segment", "new"}});
  }

  TEST_CASE(
    "a header without the id column, with a nameless or repeated column, or only the id, is "
    "refused") {
    CHECK(header_error({"id", "age"})
          == "no id column 'user_id' in the header (give another with --id-column)");
    CHECK(header_error({"user_id", "", "x"}) == "column 2 has no name");
    CHECK(header_error({"user_id", "a", "a"}) == "column 'a' appears twice");
    CHECK(header_error({"user_id"}) == "the table has no column besides the id 'user_id'");
    CHECK(header_of({"uid", "a"}, "uid").id_column == 0);
  }

  TEST_CASE("rows with the wrong column count or a bad id are refused with the reason") {
    auto h = header_of({"user_id", "a", "b"});
    offline_row row;
    CHECK(parse_offline_row(h, {"u1", "x"}, row) == "2 columns, the header has 3");
    CHECK(parse_offline_row(h, {"u1", "x", "y", "z"}, row) == "4 columns, the header has 3");
    CHECK(parse_offline_row(h, {"", "x", "y"}, row) == "empty id");
    CHECK(parse_offline_row(h, {std::string(129, 'u'), "x", "y"}, row)
          == "id of 129 bytes (at most 128)");
    CHECK(parse_offline_row(h, {"u 1", "x", "y"}, row)
          == "id with ' ' at byte 2 (allowed: A-Z a-z 0-9 _ . : -)");
    CHECK(parse_offline_row(h, {"u}1", "x", "y"}, row)
          == "id with '}' at byte 2 (allowed: A-Z a-z 0-9 _ . : -)");
    CHECK(parse_offline_row(h, {"u\xc3\xa9", "x", "y"}, row)
          == "id with byte 0xc3 at byte 2 (allowed: A-Z a-z 0-9 _ . : -)");
  }

  TEST_CASE("entity ids: 128 bytes of the safe charset pass") {
    CHECK(entity_id_problem(std::string(128, 'a')).empty());
    CHECK(entity_id_problem("AZaz09_.:-").empty());
    CHECK_FALSE(entity_id_problem("a/b").empty());
    CHECK_FALSE(entity_id_problem("a{b").empty());
  }
}

// RFC 4180 reading: quoting, line breaks inside quotes, CRLF, and malformed
// records reported by line with reading going on after them.
#include <doctest/doctest.h>

#include <sstream>

#include "runtime/offline/csv_reader.hpp"

using namespace rtfeat;

namespace {

struct read_result {
  std::vector<std::vector<std::string>> records;
  std::vector<uint64_t> record_lines;
  std::vector<std::string> bad;  // "line: error"
};

read_result read_all(const std::string& text) {
  std::istringstream in(text);
  csv_reader csv(in);
  read_result out;
  std::vector<std::string> fields;
  std::string error;
  for (;;) {
    auto r = csv.next(fields, error);
    if (r == csv_reader::result::end) break;
    if (r == csv_reader::result::bad) {
      out.bad.push_back(std::to_string(csv.line()) + ": " + error);
      continue;
    }
    out.records.push_back(fields);
    out.record_lines.push_back(csv.line());
  }
  return out;
}

using rows = std::vector<std::vector<std::string>>;

}  // namespace

TEST_SUITE("runtime.offline.csv_reader") {
  TEST_CASE("plain fields, empty fields and a trailing comma") {
    auto r = read_all("a,b,c\n1,,3\n,,\nx,y,\n");
    CHECK(r.records == rows{{"a", "b", "c"}, {"1", "", "3"}, {"", "", ""}, {"x", "y", ""}});
    CHECK(r.bad.empty());
  }

  TEST_CASE(
    "quoted fields hold commas, doubled quotes and line breaks; lines are counted through them") {
    auto r = read_all(
      "id,title\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\r\nlines\"\r\n4,\"\"\r\n");
    CHECK(
      r.records
      == rows{{"id", "title"}, {"1", "a, b"}, {"2", "say \"hi\""}, {"3", "two\nlines"}, {"4", ""}});
    CHECK(r.record_lines == std::vector<uint64_t>{1, 2, 3, 4, 6});
  }

  TEST_CASE("CRLF and LF endings, a missing final newline, empty lines skipped, a BOM dropped") {
    auto r = read_all("\xEF\xBB\xBFid,v\r\n\r\n1,a\n\n2,b");
    CHECK(r.records == rows{{"id", "v"}, {"1", "a"}, {"2", "b"}});
    CHECK(r.record_lines == std::vector<uint64_t>{1, 3, 5});
  }

  TEST_CASE(
    "text after a closing quote and a quote inside an unquoted field are bad records; the next "
    "line is read") {
    auto r = read_all("id,v\n1,\"a\"b\n2,ab\"c\n3,ok\n");
    CHECK(r.records == rows{{"id", "v"}, {"3", "ok"}});
    CHECK(r.bad
          == std::vector<std::string>{
            "2: text after the closing quote of field 2",
            "3: a quote inside unquoted field 2 (quote the field, double the quote)"});
  }

  TEST_CASE("an unterminated quote is a bad record at its first line and ends the file") {
    auto r = read_all("id,v\n1,ok\n2,\"never closed\n3,x\n");
    CHECK(r.records == rows{{"id", "v"}, {"1", "ok"}});
    CHECK(r.bad
          == std::vector<std::string>{
            "3: unterminated quoted field 2 (it runs to the end of the file)"});
  }
}

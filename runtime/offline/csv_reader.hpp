// A streaming RFC 4180 CSV reader for the offline tables of `rtfeat materialize`:
// comma-separated, records end with CRLF or LF, fields may be "quoted" with ""
// for a quote and line breaks inside. Debian has no C++ CSV library worth a
// dependency for this much. A malformed record is reported with its line and
// skipped; reading goes on with the next line.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace rtfeat {

class csv_reader {
public:
  enum class result : uint8_t {
    record,  // `fields` holds the next record
    bad,     // the record at line() is malformed (`error` says why); call next() again
    end,     // no more records
  };

  /// Reads from `in`, which must outlive the reader. A UTF-8 byte-order mark is skipped.
  explicit csv_reader(std::istream& in) : in_(in) {}

  /// The next record. Empty lines are skipped. Inside quotes a CRLF reads as "\n".
  result next(std::vector<std::string>& fields, std::string& error);

  /// The line (1-based) the last record or bad record started on.
  uint64_t line() const { return start_line_; }

private:
  bool read_line();
  /// Parses the record that starts in line_; more lines are read for a quoted line break.
  result parse(std::vector<std::string>& fields, std::string& error);

  std::istream& in_;
  std::string line_;
  uint64_t line_no_ = 0;
  uint64_t start_line_ = 0;
};

}  // namespace rtfeat

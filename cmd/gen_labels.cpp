// label_writer: hour is the UTC hour of the view's ts (model input context.hour).
// Ids are quoted only when they hold a CSV special character; `rtfeat gen` ids never do.
#include "cmd/gen_labels.hpp"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace rtfeat::cmd {

namespace {

constexpr int64_t hour_ms = 3'600'000;

void put_field(std::FILE* f, const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) {
    std::fputs(value.c_str(), f);
    return;
  }
  std::fputc('"', f);
  for (char c : value) {
    if (c == '"') std::fputc('"', f);
    std::fputc(c, f);
  }
  std::fputc('"', f);
}

}  // namespace

void label_writer::add_line(std::string_view line) {
  if (!parser_.parse(line, event_)) labeler_.add(event_);
}

bool label_writer::write(const std::string& path, int64_t window_ms) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) {
    std::fprintf(stderr, "gen: cannot open %s: %s\n", path.c_str(), std::strerror(errno));
    return false;
  }
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  std::fputs("user_id,item_id,ts,label,hour\n", f);
  uint64_t positives = 0;
  const auto rows = labeler_.label(window_ms);
  for (const impression& row : rows) {
    put_field(f, row.user_id);
    std::fputc(',', f);
    put_field(f, row.item_id);
    std::fprintf(f, ",%" PRId64 ",%d,%" PRId64 "\n", row.ts, row.positive ? 1 : 0,
                 (row.ts / hour_ms) % 24);
    positives += row.positive ? 1 : 0;
  }
  const bool failed = std::ferror(f) != 0;
  if (std::fclose(f) != 0 || failed) {
    std::fprintf(stderr, "gen: cannot write %s: %s\n", path.c_str(), std::strerror(errno));
    return false;
  }
  const double rate =
    rows.empty() ? 0.0 : static_cast<double>(positives) / static_cast<double>(rows.size());
  std::fprintf(stderr,
               "gen: %zu labels, %" PRIu64 " positive (%.2f%%), window %" PRId64 " ms -> %s\n",
               rows.size(), positives, 100.0 * rate, window_ms, path.c_str());
  return true;
}

}  // namespace rtfeat::cmd

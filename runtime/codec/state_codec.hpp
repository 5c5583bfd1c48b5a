// The codec of feature state in snapshots: a flat stream of msgpack values
// (no nesting), written and read in the same order by each feature state.
// msgpack stays behind this interface (STYLE: codecs live in runtime/codec).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace rtfeat {

class state_writer {
public:
  state_writer();
  ~state_writer();
  state_writer(state_writer&&) noexcept;
  state_writer& operator=(state_writer&&) noexcept;

  state_writer& i64(int64_t v);
  state_writer& u64(uint64_t v);
  state_writer& str(std::string_view v);
  /// The bytes written so far.
  std::string_view bytes() const;
  bool empty() const { return bytes().empty(); }

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Reads what a state_writer wrote. Any type mismatch or truncation makes
/// ok() false and every later read return zero values: check ok() at the end.
class state_reader {
public:
  explicit state_reader(std::string_view bytes) : bytes_(bytes) {}
  int64_t i64();
  uint64_t u64();
  std::string str();
  bool at_end() const { return offset_ >= bytes_.size(); }
  bool ok() const { return ok_; }

private:
  std::string_view bytes_;
  size_t offset_ = 0;
  bool ok_ = true;
};

}  // namespace rtfeat

// What a failed operation tells its caller besides the message: whether trying
// again later can help (retriable: a full disk, an I/O error, a peer away),
// the input is at fault and is set aside (bad_input: a corrupt checkpoint file,
// a malformed manifest), or the caller cannot go on (fatal: no restorable
// checkpoint, a broken invariant). The caller decides what each kind means for
// it; the callee only says which it is. Config parsing keeps plain string
// errors: every one of them is bad input, by nature.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace rtfeat {

enum class error_kind : uint8_t { retriable, bad_input, fatal };

/// "retriable", "bad input", "fatal".
std::string_view to_string(error_kind k);

/// Success, or an error with a kind and a message. Never both.
class [[nodiscard]] status {
public:
  status() = default;  // success
  static status retriable(std::string m) { return {error_kind::retriable, std::move(m)}; }
  static status bad_input(std::string m) { return {error_kind::bad_input, std::move(m)}; }
  static status fatal(std::string m) { return {error_kind::fatal, std::move(m)}; }

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  /// REQUIRES: !ok().
  error_kind kind() const { return kind_; }
  /// "" on success.
  const std::string& message() const { return message_; }

  /// The same error with `context` in front of its message ("checkpoint 3: " + ...).
  status prefixed(std::string_view context) const&;

private:
  status(error_kind k, std::string m) : failed_(true), kind_(k), message_(std::move(m)) {}

  bool failed_ = false;
  error_kind kind_ = error_kind::fatal;
  std::string message_;
};

/// "ok" or "<kind>: <message>" (for test output and logs).
std::ostream& operator<<(std::ostream& os, const status& s);

/// A value, or the status that says why there is none.
template <class T>
class [[nodiscard]] result {
public:
  // Implicit both ways, so that a function returns a value or a status as it is.
  result(T value) : value_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  /// REQUIRES: !error.ok().
  result(status error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  /// REQUIRES: ok().
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  /// Success when ok().
  const status& error() const { return error_; }

private:
  std::optional<T> value_;
  status error_;
};

}  // namespace rtfeat

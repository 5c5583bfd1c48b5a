// Delete journal (see delete_journal.hpp).
#include "runtime/redis/delete_journal.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace rtfeat {

namespace {

enum class deletion : uint8_t { none, fields, key };

/// What `u` deletes that a resync needs (see deletes_of).
deletion deletion_of(const key_update& u) {
  switch (u.type) {
    case redis_type::hash: case redis_type::zset:
      if (u.replace) return u.set.empty() ? deletion::key : deletion::none;
      return u.del.empty() ? deletion::none : deletion::fields;
    case redis_type::list: case redis_type::string:
      return u.values.empty() ? deletion::key : deletion::none;  // else a whole new value, written again by a rewrite
    case redis_type::hyperloglog:
      return u.replace && u.values.empty() && u.registers.empty() ? deletion::key : deletion::none;
  }
  return deletion::none;
}

// A packed delete: type, whole-key flag, the key, the number of fields, the
// fields; lengths as uint32 in host order (the journal never leaves the process).
void put_size(std::string& out, size_t n) {
  auto v = static_cast<uint32_t>(n);
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

void put_text(std::string& out, const std::string& s) {
  put_size(out, s.size());
  out += s;
}

/// Packs what `u` deletes (`what` is not none) straight from `u`: no copy of it.
void pack(std::string& out, const key_update& u, deletion what) {
  out += static_cast<char>(u.type);
  out += static_cast<char>(what == deletion::key ? 1 : 0);
  put_text(out, u.key);
  if (what == deletion::key) return put_size(out, 0);
  put_size(out, u.del.size());
  for (const auto& f : u.del) put_text(out, f);
}

struct unpacker {
  const std::string& in;
  size_t at = 0;
  uint32_t size() {
    uint32_t v = 0;
    std::memcpy(&v, in.data() + at, sizeof v);
    at += sizeof v;
    return v;
  }
  std::string text() {
    auto n = size();
    std::string s = in.substr(at, n);
    at += n;
    return s;
  }
  key_update next() {
    key_update d;
    d.type = static_cast<redis_type>(in[at++]);
    bool whole = in[at++] != 0;
    d.key = text();
    d.del.resize(size());
    for (auto& f : d.del) f = text();
    if (whole) return delete_of(std::move(d.key), d.type);
    return d;
  }
};

}  // namespace

std::optional<key_update> deletes_of(const key_update& u) {
  switch (deletion_of(u)) {
    case deletion::none: return std::nullopt;
    case deletion::fields: return key_update{.key = u.key, .del = u.del, .type = u.type};
    case deletion::key: return delete_of(u.key, u.type);
  }
  return std::nullopt;
}

delete_journal::delete_journal(std::chrono::milliseconds keep, size_t max_bytes)
  : keep_(keep), max_bytes_(max_bytes) {}

void delete_journal::record(std::span<const key_update> written, clock::time_point now) {
  if (keep_.count() <= 0) return;
  if (!first_) first_ = now;
  newest_ = now;
  batch b{.at = now, .packed = {}, .count = 0};
  for (const auto& u : written) {
    if (auto what = deletion_of(u); what != deletion::none) pack(b.packed, u, what), ++b.count;
  }
  if (b.count > 0) {
    entries_ += b.count;
    bytes_ += b.packed.size();
    batches_.push_back(std::move(b));
  }
  forget_before(now - keep_);
  while (bytes_ > max_bytes_ && !batches_.empty()) {
    dropped_ = batches_.front().at;
    forget_before(batches_.front().at + clock::duration(1));
  }
}

void delete_journal::forget_before(clock::time_point oldest) {
  while (!batches_.empty() && batches_.front().at < oldest) {
    entries_ -= batches_.front().count;
    bytes_ -= batches_.front().packed.size();
    batches_.pop_front();
  }
}

std::vector<key_update> delete_journal::deletes() const {
  std::vector<key_update> out;
  out.reserve(entries_);
  for (const auto& b : batches_) {
    unpacker u{b.packed};
    for (size_t i = 0; i < b.count; ++i) out.push_back(u.next());
  }
  return out;
}

std::chrono::milliseconds delete_journal::reach() const {
  if (!first_) return std::chrono::milliseconds(0);
  auto start = std::max(*first_, newest_ - keep_);
  if (dropped_) start = std::max(start, *dropped_);
  return std::chrono::duration_cast<std::chrono::milliseconds>(newest_ - start);
}

}  // namespace rtfeat

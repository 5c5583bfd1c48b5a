// msgpack behind state_writer / state_reader. msgpack throws on malformed input:
// caught here, reported through ok().
#include "runtime/codec/state_codec.hpp"

#include <msgpack.hpp>

namespace rtfeat {

struct state_writer::impl {
  msgpack::sbuffer buffer;
  msgpack::packer<msgpack::sbuffer> packer{buffer};
};

state_writer::state_writer() : impl_(std::make_unique<impl>()) {}
state_writer::~state_writer() = default;
state_writer::state_writer(state_writer&&) noexcept = default;
state_writer& state_writer::operator=(state_writer&&) noexcept = default;

state_writer& state_writer::i64(int64_t v) {
  impl_->packer.pack_int64(v);
  return *this;
}
state_writer& state_writer::u64(uint64_t v) {
  impl_->packer.pack_uint64(v);
  return *this;
}
state_writer& state_writer::str(std::string_view v) {
  impl_->packer.pack_str(static_cast<uint32_t>(v.size()));
  impl_->packer.pack_str_body(v.data(), static_cast<uint32_t>(v.size()));
  return *this;
}
std::string_view state_writer::bytes() const { return {impl_->buffer.data(), impl_->buffer.size()}; }

namespace {

template <class T>
T read_one(std::string_view bytes, size_t& offset, bool& ok, msgpack::type::object_type want) {
  if (!ok || offset >= bytes.size()) return ok = false, T{};
  try {
    auto handle = msgpack::unpack(bytes.data(), bytes.size(), offset);
    const auto& obj = handle.get();
    bool is_int = obj.type == msgpack::type::POSITIVE_INTEGER || obj.type == msgpack::type::NEGATIVE_INTEGER;
    if ((want == msgpack::type::STR) != (obj.type == msgpack::type::STR) || (want != msgpack::type::STR && !is_int))
      return ok = false, T{};
    return obj.as<T>();
  } catch (const std::exception&) {
    ok = false;
    return T{};
  }
}

}  // namespace

int64_t state_reader::i64() { return read_one<int64_t>(bytes_, offset_, ok_, msgpack::type::NEGATIVE_INTEGER); }
uint64_t state_reader::u64() { return read_one<uint64_t>(bytes_, offset_, ok_, msgpack::type::POSITIVE_INTEGER); }
std::string state_reader::str() { return read_one<std::string>(bytes_, offset_, ok_, msgpack::type::STR); }

}  // namespace rtfeat

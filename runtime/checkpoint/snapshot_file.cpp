// Snapshot file codec. The header is encoded byte by byte in little-endian order
// so the format does not depend on the host; every check produces a message that
// names the file and both values, because operators read these in restore logs.
#include "runtime/checkpoint/snapshot_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cstring>

#include "runtime/checkpoint/crc32c.hpp"
#include "runtime/checkpoint/file_io.hpp"
#include "runtime/checkpoint/hex.hpp"

namespace rtfeat {

namespace {

constexpr size_t header_crc_offset = 44;

void put_le(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint64_t get_le(std::string_view in, size_t offset, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(in[offset + static_cast<size_t>(i)]);
  return v;
}

std::string base_name(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

snapshot_status fail(snapshot_status s, std::string_view name, const std::string& what,
                     std::string& error) {
  error = std::string(name) + ": " + what;
  return s;
}

}  // namespace

std::string snapshot_file_name(uint32_t key_group) {
  return "kg-" + std::to_string(key_group) + ".snap";
}

std::string encode_snapshot_header(const snapshot_header& h) {
  std::string out(snapshot_magic, sizeof snapshot_magic);
  put_le(out, h.version, 2);
  put_le(out, h.header_size, 2);
  put_le(out, h.catalogue_hash, 8);
  put_le(out, h.checkpoint_id, 8);
  put_le(out, h.key_group, 4);
  put_le(out, h.body_crc, 4);
  put_le(out, h.body_size, 8);
  put_le(out, 0, 4);  // reserved
  put_le(out, crc32c(out), 4);
  return out;
}

namespace {

// Magic, version and header size: what must hold before the header CRC means anything.
snapshot_status check_prefix(std::string_view bytes, uint64_t file_size, std::string_view name,
                             snapshot_header& out, std::string& error) {
  if (bytes.size() >= 4 && std::memcmp(bytes.data(), snapshot_magic, 4) != 0)
    return fail(snapshot_status::bad_header, name,
                "not a snapshot file (magic " + hex32(static_cast<uint32_t>(get_le(bytes, 0, 4)))
                  + ", expected \"RTFS\")",
                error);
  if (bytes.size() < snapshot_header_size)
    return fail(snapshot_status::bad_header, name,
                "truncated: file has " + std::to_string(file_size) + " bytes, the header alone is "
                  + std::to_string(snapshot_header_size),
                error);
  out.version = static_cast<uint16_t>(get_le(bytes, 4, 2));
  out.header_size = static_cast<uint16_t>(get_le(bytes, 6, 2));
  if (out.version != snapshot_format_version)
    return fail(snapshot_status::bad_header, name,
                "unsupported format version " + std::to_string(out.version) + " (this build reads "
                  + std::to_string(snapshot_format_version) + ")",
                error);
  if (out.header_size != snapshot_header_size)
    return fail(snapshot_status::bad_header, name,
                "bad header size " + std::to_string(out.header_size) + " for version 1", error);
  return snapshot_status::ok;
}

}  // namespace

snapshot_status decode_snapshot_header(std::string_view bytes, uint64_t file_size,
                                       std::string_view name, snapshot_header& out,
                                       std::string& error) {
  if (const auto s = check_prefix(bytes, file_size, name, out, error); s != snapshot_status::ok)
    return s;
  out.header_crc = static_cast<uint32_t>(get_le(bytes, header_crc_offset, 4));
  const uint32_t computed = crc32c(bytes.substr(0, header_crc_offset));
  if (computed != out.header_crc)
    return fail(snapshot_status::bad_header, name,
                "header checksum mismatch (stored " + hex32(out.header_crc) + ", computed "
                  + hex32(computed) + ")",
                error);
  out.catalogue_hash = get_le(bytes, 8, 8);
  out.checkpoint_id = get_le(bytes, 16, 8);
  out.key_group = static_cast<uint32_t>(get_le(bytes, 24, 4));
  out.body_crc = static_cast<uint32_t>(get_le(bytes, 28, 4));
  out.body_size = get_le(bytes, 32, 8);
  if (out.body_size > UINT64_MAX - snapshot_header_size || out.file_size() != file_size)
    return fail(snapshot_status::size_mismatch, name,
                std::string(out.file_size() > file_size ? "truncated" : "trailing bytes")
                  + ": header says " + std::to_string(out.file_size()) + " bytes ("
                  + std::to_string(out.header_size) + " header + " + std::to_string(out.body_size)
                  + " body), file has " + std::to_string(file_size),
                error);
  return snapshot_status::ok;
}

bool write_snapshot_file(const std::string& path, snapshot_header& h, std::string_view body,
                         std::string& error) {
  h.version = snapshot_format_version;
  h.header_size = snapshot_header_size;
  h.body_size = body.size();
  h.body_crc = crc32c(body);
  const std::string header = encode_snapshot_header(h);
  h.header_crc = static_cast<uint32_t>(get_le(header, header_crc_offset, 4));
  return write_file_unsynced(path, {header, body}, error);  // durable at commit
}

namespace {

// CRC of the body: read whole into `body`, or streamed through a local buffer.
bool body_crc(int fd, uint64_t size, std::string* body, uint32_t& crc) {
  size_t got = 0;
  if (body) {
    body->resize(size);
    if (!read_exact(fd, body->data(), size, got)) return false;
    crc = crc32c(*body);
    return true;
  }
  std::string buf(size_t{256} * 1024, '\0');
  crc = 0;
  for (uint64_t left = size; left > 0;) {
    const size_t n = left < buf.size() ? static_cast<size_t>(left) : buf.size();
    if (!read_exact(fd, buf.data(), n, got)) return false;
    crc = crc32c_extend(crc, buf.data(), n);
    left -= n;
  }
  return true;
}

}  // namespace

snapshot_status read_snapshot_file(const std::string& path, snapshot_header& header,
                                   std::string* body, std::string& error) {
  const std::string name = base_name(path);
  unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (!fd.is_open() || ::fstat(fd.get(), &st) != 0)
    return error = os_error("cannot open", path), snapshot_status::io_error;
  const auto file_size = static_cast<uint64_t>(st.st_size);
  std::string head(snapshot_header_size, '\0');
  size_t got = 0;
  if (!read_exact(fd.get(), head.data(), head.size(), got) && errno != 0)
    return error = os_error("cannot read", path), snapshot_status::io_error;
  head.resize(got);
  const auto s = decode_snapshot_header(head, file_size, name, header, error);
  if (s != snapshot_status::ok) return s;
  uint32_t computed = 0;
  if (!body_crc(fd.get(), header.body_size, body, computed))
    return error = os_error("cannot read", path), snapshot_status::io_error;
  if (computed != header.body_crc)
    return fail(
      snapshot_status::checksum_mismatch, name,
      "checksum mismatch (stored " + hex32(header.body_crc) + ", computed " + hex32(computed) + ")",
      error);
  return snapshot_status::ok;
}

}  // namespace rtfeat

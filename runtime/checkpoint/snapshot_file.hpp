// One key group's state in one checkpoint: a fixed 48-byte little-endian header
// (magic "RTFS", version, catalogue hash, ids, body length and CRC32C, header
// CRC32C) followed by the caller's opaque body bytes. Layout: docs/checkpoints.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rtfeat {

inline constexpr char snapshot_magic[4] = {'R', 'T', 'F', 'S'};
inline constexpr uint16_t snapshot_format_version = 1;
inline constexpr size_t snapshot_header_size = 48;

struct snapshot_header {
  uint16_t version = snapshot_format_version;
  uint16_t header_size = snapshot_header_size;
  uint64_t catalogue_hash = 0;
  uint64_t checkpoint_id = 0;
  uint32_t key_group = 0;
  uint32_t body_crc = 0;  // CRC32C of the body bytes
  uint64_t body_size = 0;
  uint32_t header_crc = 0;  // CRC32C of header bytes 0..43 (set by encode)

  uint64_t file_size() const { return header_size + body_size; }
};

/// How a snapshot file checked out. The header fields are valid when the status
/// is ok, size_mismatch or checksum_mismatch (the header itself verified).
enum class snapshot_status { ok, io_error, bad_header, size_mismatch, checksum_mismatch };

/// The 48 header bytes for `h` (header_crc is computed, h.header_crc ignored).
std::string encode_snapshot_header(const snapshot_header& h);

/// Decodes and checks magic, version, header size and header CRC from the first
/// bytes of a file of `file_size` bytes, then that the file is exactly header + body
/// long. `name` prefixes the error ("kg-3.snap: ...").
snapshot_status decode_snapshot_header(std::string_view bytes, uint64_t file_size,
                                       std::string_view name, snapshot_header& out,
                                       std::string& error);

/// Writes header + body to `path` (created or truncated) and fsyncs the file (not its
/// directory). `h` supplies catalogue_hash, checkpoint_id and key_group; body_size,
/// body_crc and header_crc are filled in. Blocks on disk I/O (fsync).
bool write_snapshot_file(const std::string& path, snapshot_header& h, std::string_view body,
                         std::string& error);

/// Reads and verifies `path`: header checks as above, then the body CRC. With `body`
/// non-null the body is returned in it; with nullptr the file is only verified,
/// streaming through a small buffer. Errors name the file and say what differed:
/// "kg-17.snap: checksum mismatch (stored 0x.., computed 0x..)". Blocks on disk I/O.
snapshot_status read_snapshot_file(const std::string& path, snapshot_header& header,
                                   std::string* body, std::string& error);

/// File name of a key group's snapshot: "kg-<n>.snap".
std::string snapshot_file_name(uint32_t key_group);

}  // namespace rtfeat

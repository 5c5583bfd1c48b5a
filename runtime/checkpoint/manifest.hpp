// The checkpoint manifest: what a complete checkpoint contains (snapshot files
// with sizes and checksums, Kafka positions, watermarks, caller metadata) and its
// JSON encoding. The JSON ends with a CRC32C of everything before that line.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtfeat {

/// Version 2 added references (snapshot_entry::stored_in); a manifest without any
/// is still written as version 1, so older builds keep reading it.
inline constexpr int manifest_format_version = 2;

/// Where one Kafka partition's reader stood at the barrier.
struct partition_position {
  std::string topic;
  int32_t partition = 0;
  int64_t next_offset = 0;           // first offset NOT reflected in the snapshot state
  std::optional<int64_t> watermark;  // W_p; nullopt = none yet (JSON null)
  std::optional<int64_t> future_suspect{};  // future-skew rule's suspect ts; nullopt = none (key absent)
};

/// One key group's snapshot file, as returned by checkpoint_store::write_snapshot
/// or reference_snapshot (incremental checkpoints: an unchanged key group's file
/// stays where an older checkpoint wrote it).
struct snapshot_entry {
  uint32_t key_group = 0;
  std::string file;        // "kg-<n>.snap", in the directory of checkpoint home()
  uint64_t size = 0;       // whole file, header included
  uint32_t crc = 0;        // CRC32C of the body (also stored in the file header)
  uint64_t stored_in = 0;  // older checkpoint whose directory holds the file; 0 = its own

  /// The checkpoint whose directory holds the file, for an entry of checkpoint `id`.
  uint64_t home(uint64_t id) const { return stored_in != 0 ? stored_in : id; }
};

struct checkpoint_manifest {
  uint64_t id = 0;
  int64_t created_ms = 0;  // wall clock, epoch ms (set by the caller)
  uint64_t catalogue_hash = 0;
  std::vector<snapshot_entry> snapshots;
  std::vector<partition_position> positions;
  std::map<std::string, std::string> meta;  // free-form, e.g. {"nodes": "2"}

  /// The entry of `key_group`, or nullptr.
  const snapshot_entry* find(uint32_t key_group) const;
  /// Sum of the snapshot file sizes (referenced files included).
  uint64_t snapshot_bytes() const;
  /// Sum of the sizes of the files in this checkpoint's own directory.
  uint64_t written_bytes() const;
  /// Entries whose file lives in an older checkpoint's directory.
  size_t referenced_count() const;
};

/// The manifest as JSON (layout in docs/checkpoints.md), snapshots sorted by key
/// group and positions by (topic, partition), ending with its own CRC32C line.
std::string encode_manifest(const checkpoint_manifest& m);

/// Parses and validates a manifest: its CRC line, format version, every field's
/// type, snapshot file names ("kg-<n>.snap" of their key group, and stored_in an
/// older checkpoint id, so a manifest can never point outside the store) and no
/// duplicate key group. Reads versions 1 and 2. Never throws.
bool decode_manifest(std::string_view text, checkpoint_manifest& out, std::string& error);

}  // namespace rtfeat

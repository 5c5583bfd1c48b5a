// The checkpoint store (SPEC §5, issue 4): durable, verifiable, restorable
// per-key-group state blobs. Layout: <dir>/chk-<id>/kg-<n>.snap + MANIFEST; a
// checkpoint is complete iff its MANIFEST exists (written atomically last).
// Plain C++, no actors; every call blocks on disk I/O. docs/checkpoints.md has the format.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/checkpoint/manifest.hpp"
#include "runtime/checkpoint/snapshot_file.hpp"
#include "runtime/status.hpp"

namespace rtfeat {

inline constexpr size_t default_checkpoints_kept = 3;

/// A checkpoint directory without a MANIFEST: in flight, aborted or cut by a crash.
struct partial_checkpoint {
  uint64_t id = 0;
  size_t files = 0;  // regular files in its directory
  uint64_t bytes = 0;
};

/// Everything under the store's directory, each list newest first.
struct checkpoint_listing {
  std::vector<checkpoint_manifest> complete;
  std::vector<partial_checkpoint> partial;
  std::vector<std::pair<uint64_t, std::string>> unreadable;  // MANIFEST there but bad: id, why
};

enum class open_mode { create, must_exist };

/// Thread-safety: the object holds no mutable state. write_snapshot may run
/// concurrently for different key groups (of the same or different checkpoints);
/// commit/abort/list/find_restorable/read_snapshot may run concurrently with
/// writes of a *newer* checkpoint (retention never touches ids >= the committed one).
/// Several processes may share the directory if only one of them commits.
class checkpoint_store {
public:
  /// Opens the store at `dir`, creating it (and parents) with open_mode::create.
  /// Fatal when it is missing, cannot be created or (create) is not writable.
  static result<std::unique_ptr<checkpoint_store>> open(const std::string& dir, open_mode mode);

  const std::string& dir() const { return dir_; }
  /// <dir>/chk-<id>
  std::string checkpoint_path(uint64_t id) const;
  /// <dir>/chk-<id>/kg-<key_group>.snap
  std::string snapshot_path(uint64_t id, uint32_t key_group) const;

  /// Writes one key group's `body` for checkpoint `id` (creating chk-<id>), without
  /// fsync (commit makes every file durable at once); `out` is the entry to put in the manifest.
  /// Rewriting a key group of a checkpoint not yet committed replaces it. REQUIRES: id >= 1;
  /// checkpoint `id` not committed (refused, fatal, if it is). Retriable: the write failed (a full
  /// disk, an I/O error). Blocks: write of header (48 B) + body. Runs in: any thread.
  status write_snapshot(uint64_t id, uint64_t catalogue_hash, uint32_t key_group,
                        std::string_view body, snapshot_entry& out) const;

  /// The entry for checkpoint `id` that references `previous` (an entry written or
  /// referenced by an earlier checkpoint, whose file lives in checkpoint `home`)
  /// instead of writing the same bytes again. False when that file is gone or has
  /// another size (its checkpoint was aborted or retired): then write the body.
  /// REQUIRES: home < id. Blocks: one stat. Runs in: any thread.
  bool reference_snapshot(uint64_t id, uint64_t home, const snapshot_entry& previous,
                          snapshot_entry& out) const;

  /// Where `e`, an entry of checkpoint `id`, keeps its file.
  std::string entry_path(uint64_t id, const snapshot_entry& e) const;

  /// Completes checkpoint m.id: checks every listed snapshot file exists with its
  /// size, syncs the filesystem (syncfs: the snapshot files), fsyncs chk-<id>, writes MANIFEST.tmp,
  /// fsyncs it, renames it to MANIFEST, fsyncs chk-<id> and <dir>. Only then applies retention:
  /// keeps the newest `keep` complete checkpoints and deletes older complete ones and partial ones
  /// older than m.id, except the files the kept manifests reference. An error: checkpoint m.id is
  /// not complete; retriable when a file is missing or a write failed, fatal when `m` breaks the
  /// REQUIRES. Success: it is (its MANIFEST is in place); `warning` then says what failed after
  /// that and does not undo it: the directory fsync after the rename (a crash may lose the
  /// checkpoint, and restore falls back to the one before) or retention (old files stay).
  /// REQUIRES: m.id >= 1, keep >= 1 (0 is taken as 1), snapshots from write_snapshot.
  /// Blocks: a few fsyncs + deleting old directories.
  status commit(const checkpoint_manifest& m, size_t keep, std::string& warning) const;

  /// Removes the directory of checkpoint `id` if it is not complete (a committed
  /// checkpoint is never removed here: fatal). A missing directory is fine.
  /// A write_snapshot racing with abort may leave a partial directory behind: it is
  /// harmless (never restored) and removed by the next commit's retention.
  status abort(uint64_t id) const;

  /// True when chk-<id>/MANIFEST exists (whether or not it parses).
  bool is_complete(uint64_t id) const;

  /// Scans the directory. Complete checkpoints come with their parsed manifest.
  /// Retriable: the directory cannot be listed.
  status list(checkpoint_listing& out) const;

  /// Reads and parses chk-<id>/MANIFEST. Bad input: missing, unreadable or malformed.
  status load_manifest(uint64_t id, checkpoint_manifest& out) const;

  /// What a restore keeps of the snapshots it verifies, so that it reads each file
  /// once: the bodies of the key groups `wanted` names (every one when unset).
  /// `progress` hears, after each file, the bytes verified so far and the total.
  struct body_keeper {
    std::function<bool(uint32_t key_group)> wanted;
    std::function<void(uint64_t done, uint64_t total)> progress;
    std::map<uint32_t, std::string> bodies;  // by key group, of the checkpoint verified last
  };

  /// Reads every snapshot of `m` and checks its header (magic, version, header CRC,
  /// checkpoint id, key group, catalogue hash), its size and body CRC against the
  /// manifest. Appends one line per bad file to `problems`; true when none.
  /// With `keep`, its bodies are replaced by those it wants of `m` (as verified).
  /// Blocks: reads every byte of the checkpoint (streamed, 256 KiB buffer, when not kept).
  bool verify(const checkpoint_manifest& m, std::vector<std::string>& problems, body_keeper* keep = nullptr) const;

  /// The checkpoint to restore: the newest (or `id`, when given) complete one whose
  /// manifest parses and whose snapshots all verify, falling back to older ones with
  /// one line per skipped checkpoint in `log` ("checkpoint 12: kg-3.snap: checksum
  /// mismatch (...); falling back to checkpoint 11").
  /// nullopt: no complete checkpoint at all (first start).
  /// An error (the caller must not start from scratch): `id` does not exist (bad
  /// input), the directory is unreadable (retriable), or complete checkpoints
  /// exist but none verifies (fatal).
  /// With `keep`, it ends holding the wanted bodies of the checkpoint returned (none
  /// otherwise): a restore then reads no file again.
  /// Blocks: reads every byte of each checkpoint tried.
  result<std::optional<checkpoint_manifest>> find_restorable(std::optional<uint64_t> id,
                                                             std::vector<std::string>& log,
                                                             body_keeper* keep = nullptr) const;

  /// Reads `key_group`'s body from checkpoint `m`, verified as in verify().
  /// Bad input when the key group is not in `m` or the file fails a check.
  /// Blocks: reads the file. Runs in: any thread.
  status read_snapshot(const checkpoint_manifest& m, uint32_t key_group, std::string& body) const;

  /// 1 + the highest checkpoint id present, complete or not (1 for an empty store),
  /// so a new checkpoint never reuses a crashed one's directory. Retriable on a scan error.
  result<uint64_t> next_id() const;

private:
  explicit checkpoint_store(std::string dir) : dir_(std::move(dir)) {}
  bool remove_checkpoint(uint64_t id, bool complete, std::string& error) const;
  bool remove_unreferenced(uint64_t id, const std::vector<std::string>& kept, std::string& error) const;
  bool apply_retention(uint64_t committed, size_t keep, std::string& error) const;
  bool check_snapshot(const checkpoint_manifest& m, const snapshot_entry& e, std::string* body,
                      std::string& error) const;

  std::string dir_;
};

}  // namespace rtfeat

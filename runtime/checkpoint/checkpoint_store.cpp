// Writing side of the checkpoint store: snapshots, the atomic manifest commit and
// retention. Order matters for crash safety: snapshot files and their directory
// are durable before the MANIFEST rename, and nothing old is deleted before the
// new MANIFEST is durable (a crash in between leaves one checkpoint too many).
#include "runtime/checkpoint/checkpoint_store.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <map>

#include "runtime/checkpoint/file_io.hpp"

namespace rtfeat {

namespace fs = std::filesystem;

namespace {

/// Creates and removes a probe directory: access(2) would say yes to root on a
/// read-only filesystem.
bool can_create_in(const std::string& dir, std::string& error) {
  const std::string probe = dir + "/.write-probe-" + std::to_string(::getpid());
  if (::mkdir(probe.c_str(), 0755) != 0 && errno != EEXIST)
    return error = "checkpoint directory " + dir + " is not writable: " + os_error("cannot create", probe), false;
  ::rmdir(probe.c_str());
  return true;
}

}  // namespace

result<std::unique_ptr<checkpoint_store>> checkpoint_store::open(const std::string& dir,
                                                                 open_mode mode) {
  std::error_code ec;
  std::string error;
  if (dir.empty()) return status::fatal("checkpoint directory not set");
  if (mode == open_mode::create) fs::create_directories(dir, ec);
  if (ec) return status::fatal("cannot create checkpoint directory " + dir + ": " + ec.message());
  if (!fs::is_directory(dir, ec))
    return status::fatal("checkpoint directory " + dir + " does not exist or is not a directory");
  // A directory the node cannot write would fail every checkpoint later, mid-run:
  // refuse it at start, as a missing one that cannot be created is.
  if (mode == open_mode::create && !can_create_in(dir, error)) return status::fatal(error);
  std::string trimmed = dir;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  return std::unique_ptr<checkpoint_store>(new checkpoint_store(trimmed));
}

std::string checkpoint_store::checkpoint_path(uint64_t id) const {
  return dir_ + "/chk-" + std::to_string(id);
}

std::string checkpoint_store::snapshot_path(uint64_t id, uint32_t key_group) const {
  return checkpoint_path(id) + "/" + snapshot_file_name(key_group);
}

bool checkpoint_store::is_complete(uint64_t id) const {
  struct stat st {};
  return ::stat((checkpoint_path(id) + "/MANIFEST").c_str(), &st) == 0;
}

status checkpoint_store::write_snapshot(uint64_t id, uint64_t catalogue_hash, uint32_t key_group,
                                        std::string_view body, snapshot_entry& out) const {
  std::string error;
  if (id == 0) return status::fatal("checkpoint ids start at 1");
  if (!make_directory(checkpoint_path(id), error)) return status::retriable(error);
  if (is_complete(id))
    return status::fatal("checkpoint " + std::to_string(id) + " is already complete");
  snapshot_header h;
  h.catalogue_hash = catalogue_hash;
  h.checkpoint_id = id;
  h.key_group = key_group;
  if (!write_snapshot_file(snapshot_path(id, key_group), h, body, error))
    return status::retriable(error);
  out = snapshot_entry{key_group, snapshot_file_name(key_group), h.file_size(), h.body_crc};
  return {};
}

bool checkpoint_store::reference_snapshot(uint64_t id, uint64_t home, const snapshot_entry& previous,
                                          snapshot_entry& out) const {
  struct stat st {};
  if (home == 0 || home >= id || ::stat(snapshot_path(home, previous.key_group).c_str(), &st) != 0
      || static_cast<uint64_t>(st.st_size) != previous.size)
    return false;
  out = previous;
  out.stored_in = home;
  return true;
}

std::string checkpoint_store::entry_path(uint64_t id, const snapshot_entry& e) const {
  return checkpoint_path(e.home(id)) + "/" + e.file;
}

status checkpoint_store::commit(const checkpoint_manifest& m, size_t keep,
                                std::string& warning) const {
  warning.clear();
  const std::string chk = checkpoint_path(m.id);
  const std::string prefix = "cannot commit checkpoint " + std::to_string(m.id) + ": ";
  if (m.id == 0) return status::fatal(prefix + "checkpoint ids start at 1");
  if (is_complete(m.id)) return status::fatal(prefix + "it is already complete");
  for (const auto& e : m.snapshots) {
    struct stat st {};
    const std::string path = entry_path(m.id, e);
    if (e.file != snapshot_file_name(e.key_group))
      return status::fatal(prefix + "bad file name " + e.file);
    if (e.stored_in >= m.id)
      return status::fatal(prefix + e.file + " references checkpoint " + std::to_string(e.stored_in)
                           + ", not an older one");
    // A file gone or cut short since it was written fails this checkpoint only.
    if (::stat(path.c_str(), &st) != 0)
      return status::retriable(prefix + os_error("cannot stat", path));
    if (static_cast<uint64_t>(st.st_size) != e.size)
      return status::retriable(prefix + e.file + " has " + std::to_string(st.st_size)
                               + " bytes, entry says " + std::to_string(e.size));
  }
  const std::string tmp = chk + "/MANIFEST.tmp";
  std::string error;
  // The snapshot files were written without fsync: one syncfs makes them all
  // durable before the manifest can point at them.
  if (!make_directory(chk, error) || !sync_filesystem_of(chk, error) || !fsync_directory(chk, error)
      || !write_file_durable(tmp, {encode_manifest(m)}, error))
    return status::retriable(prefix + error);
  if (::rename(tmp.c_str(), (chk + "/MANIFEST").c_str()) != 0)
    return status::retriable(prefix + os_error("cannot rename", tmp));
  // Complete from here on: the rename is visible. What fails after is a warning.
  const auto done = "checkpoint " + std::to_string(m.id) + " is complete, but ";
  std::string why;
  if (!fsync_directory(chk, why) || !fsync_directory(dir_, why))
    warning = done + "not yet durable (" + why + "): a crash may lose it, and a restore then takes the one before";
  if (why.clear(); !apply_retention(m.id, std::max<size_t>(keep, 1), why))
    warning += (warning.empty() ? done : "; and ") + "retention failed: " + why;
  return {};
}

status checkpoint_store::abort(uint64_t id) const {
  if (is_complete(id))
    return status::fatal("checkpoint " + std::to_string(id) + " is complete: not aborting it");
  std::string error;
  if (!remove_checkpoint(id, false, error)) return status::retriable(error);
  return {};
}

bool checkpoint_store::remove_checkpoint(uint64_t id, bool complete, std::string& error) const {
  const std::string chk = checkpoint_path(id);
  // Unlinking MANIFEST first turns the checkpoint into a partial one, so a crash
  // half-way through the deletion can never leave a "complete" checkpoint with holes.
  if (complete) {
    const std::string manifest = chk + "/MANIFEST";
    if (::unlink(manifest.c_str()) != 0 && errno != ENOENT)
      return error = os_error("cannot remove", manifest), false;
    if (!fsync_directory(chk, error)) return false;
  }
  std::error_code ec;
  fs::remove_all(chk, ec);
  if (ec) return error = "cannot remove " + chk + ": " + ec.message(), false;
  return true;
}

// A retired checkpoint directory that still holds referenced files: MANIFEST goes
// first (as in remove_checkpoint), then every file not in `kept`.
bool checkpoint_store::remove_unreferenced(uint64_t id, const std::vector<std::string>& kept,
                                           std::string& error) const {
  const std::string chk = checkpoint_path(id);
  const std::string manifest = chk + "/MANIFEST";
  if (::unlink(manifest.c_str()) != 0 && errno != ENOENT)
    return error = os_error("cannot remove", manifest), false;
  std::error_code ec;
  std::vector<fs::path> doomed;
  for (fs::directory_iterator it(chk, ec), end; !ec && it != end; it.increment(ec))
    if (std::find(kept.begin(), kept.end(), it->path().filename().string()) == kept.end())
      doomed.push_back(it->path());
  if (ec) return error = "cannot list " + chk + ": " + ec.message(), false;
  for (const auto& p : doomed)
    if (fs::remove_all(p, ec); ec) return error = "cannot remove " + p.string() + ": " + ec.message(), false;
  return fsync_directory(chk, error);
}

bool checkpoint_store::apply_retention(uint64_t committed, size_t keep, std::string& error) const {
  checkpoint_listing all;
  if (auto listed = list(all); !listed) return error = listed.message(), false;
  std::vector<uint64_t> complete;
  for (const auto& m : all.complete) complete.push_back(m.id);
  for (const auto& [id, why] : all.unreadable) complete.push_back(id);
  std::sort(complete.rbegin(), complete.rend());
  // Files of older directories that the kept manifests still reference: by directory.
  std::map<uint64_t, std::vector<std::string>> referenced;
  const uint64_t oldest_kept = complete.empty() ? 0 : complete[std::min(keep, complete.size()) - 1];
  for (const auto& m : all.complete)
    if (m.id >= oldest_kept)
      for (const auto& e : m.snapshots)
        if (e.stored_in != 0) referenced[e.stored_in].push_back(e.file);
  bool ok = true;
  std::string e;
  const auto retire = [&](uint64_t id, bool is_complete) {
    const auto refs = referenced.find(id);
    const bool done = refs == referenced.end() ? remove_checkpoint(id, is_complete, e)
                                               : remove_unreferenced(id, refs->second, e);
    if (!done) ok = false, error = e;
  };
  for (size_t i = keep; i < complete.size(); ++i)
    if (complete[i] < committed) retire(complete[i], true);
  for (const auto& p : all.partial)
    if (p.id < committed) retire(p.id, false);
  return ok;
}

}  // namespace rtfeat

// Reading side of the checkpoint store: scanning the directory, verifying a
// checkpoint against its manifest, choosing what to restore (with fallback) and
// reading key-group bodies back. Nothing here writes to the store.
#include <algorithm>
#include <charconv>
#include <filesystem>

#include "runtime/checkpoint/checkpoint_store.hpp"
#include "runtime/checkpoint/file_io.hpp"
#include "runtime/checkpoint/hex.hpp"

namespace rtfeat {

namespace fs = std::filesystem;

namespace {

// "chk-<id>" with a canonical decimal id (no sign, no leading zeros) -> id.
std::optional<uint64_t> parse_checkpoint_name(const std::string& name) {
  if (name.size() < 5 || name.compare(0, 4, "chk-") != 0 || (name[4] == '0' && name.size() > 5))
    return std::nullopt;
  uint64_t id = 0;
  const char* end = name.data() + name.size();
  if (std::from_chars(name.data() + 4, end, id).ptr != end || id == 0) return std::nullopt;
  return id;
}

partial_checkpoint measure_partial(uint64_t id, const fs::path& dir) {
  partial_checkpoint p{id, 0, 0};
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code fec;
    if (!it->is_regular_file(fec)) continue;
    const auto size = it->file_size(fec);
    ++p.files;
    p.bytes += fec ? 0 : size;
  }
  return p;
}

}  // namespace

status checkpoint_store::load_manifest(uint64_t id, checkpoint_manifest& out) const {
  std::string text;
  std::string error;
  if (!read_whole_file(checkpoint_path(id) + "/MANIFEST", text, error))
    return status::bad_input(error);
  if (!decode_manifest(text, out, error)) return status::bad_input("MANIFEST: " + error);
  if (out.id != id)
    return status::bad_input("MANIFEST: says checkpoint " + std::to_string(out.id)
                             + ", directory is chk-" + std::to_string(id));
  return {};
}

status checkpoint_store::list(checkpoint_listing& out) const {
  out = checkpoint_listing{};
  std::error_code ec;
  // Iterated with error codes: the throwing operator++ must not be used here.
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const auto id = parse_checkpoint_name(it->path().filename().string());
    std::error_code dec;
    if (!id || !it->is_directory(dec)) continue;
    if (!is_complete(*id)) {
      out.partial.push_back(measure_partial(*id, it->path()));
      continue;
    }
    checkpoint_manifest m;
    if (auto loaded = load_manifest(*id, m))
      out.complete.push_back(std::move(m));
    else
      out.unreadable.emplace_back(*id, loaded.message());
  }
  if (ec) return status::retriable("cannot list " + dir_ + ": " + ec.message());
  std::sort(out.complete.begin(), out.complete.end(),
            [](const auto& a, const auto& b) { return a.id > b.id; });
  std::sort(out.partial.begin(), out.partial.end(),
            [](const auto& a, const auto& b) { return a.id > b.id; });
  std::sort(out.unreadable.rbegin(), out.unreadable.rend());
  return {};
}

bool checkpoint_store::check_snapshot(const checkpoint_manifest& m, const snapshot_entry& e,
                                      std::string* body, std::string& error) const {
  snapshot_header h;
  const uint64_t home = e.home(m.id);
  if (read_snapshot_file(entry_path(m.id, e), h, body, error) != snapshot_status::ok) {
    if (home != m.id) error += " (referenced file of checkpoint " + std::to_string(home) + ")";
    return false;
  }
  const auto mismatch = [&](const char* what, const std::string& file, const std::string& listed) {
    error = e.file + ": " + what + " " + file + " in the file, " + listed + " in the manifest";
    return false;
  };
  if (h.checkpoint_id != home)
    return mismatch("checkpoint", std::to_string(h.checkpoint_id), std::to_string(home));
  if (h.key_group != e.key_group)
    return mismatch("key group", std::to_string(h.key_group), std::to_string(e.key_group));
  if (h.catalogue_hash != m.catalogue_hash)
    return mismatch("catalogue hash", hex64(h.catalogue_hash), hex64(m.catalogue_hash));
  if (h.file_size() != e.size)
    return mismatch("size", std::to_string(h.file_size()), std::to_string(e.size));
  if (h.body_crc != e.crc) return mismatch("checksum", hex32(h.body_crc), hex32(e.crc));
  return true;
}

bool checkpoint_store::verify(const checkpoint_manifest& m, std::vector<std::string>& problems,
                              body_keeper* keep) const {
  const size_t before = problems.size();
  const uint64_t total = m.snapshot_bytes();
  uint64_t done = 0;
  if (keep) keep->bodies.clear();
  for (const auto& e : m.snapshots) {
    std::string error;
    std::string* body = nullptr;
    if (keep && (!keep->wanted || keep->wanted(e.key_group))) body = &keep->bodies[e.key_group];
    if (!check_snapshot(m, e, body, error)) problems.push_back(std::move(error));
    done += e.size;
    if (keep && keep->progress) keep->progress(done, total);
  }
  if (keep && problems.size() != before) keep->bodies.clear();  // not a checkpoint to restore
  return problems.size() == before;
}

status checkpoint_store::read_snapshot(const checkpoint_manifest& m, uint32_t key_group,
                                       std::string& body) const {
  const snapshot_entry* e = m.find(key_group);
  if (!e)
    return status::bad_input("checkpoint " + std::to_string(m.id)
                             + " has no snapshot for key group " + std::to_string(key_group));
  std::string error;
  if (!check_snapshot(m, *e, &body, error))
    return status::bad_input("checkpoint " + std::to_string(m.id) + ": " + error);
  return {};
}

result<uint64_t> checkpoint_store::next_id() const {
  checkpoint_listing all;
  if (auto listed = list(all); !listed) return listed;
  uint64_t top = 0;
  for (const auto& m : all.complete) top = std::max(top, m.id);
  for (const auto& p : all.partial) top = std::max(top, p.id);
  for (const auto& u : all.unreadable) top = std::max(top, u.first);
  return top + 1;
}

}  // namespace rtfeat

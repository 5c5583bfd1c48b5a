// Committed cluster membership (see membership.hpp).
#include "runtime/cluster/membership.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <filesystem>
#include <system_error>

#include <simdjson.h>

#include "runtime/checkpoint/file_io.hpp"
#include "runtime/checkpoint/manifest_json.hpp"

namespace rtfeat {

namespace fs = std::filesystem;

namespace {

constexpr size_t epochs_kept = 32;  // history for operators; a node reads only the newest

/// "epoch-<N>.json" with a canonical decimal N >= 1 -> N.
std::optional<uint64_t> epoch_of(const std::string& name) {
  constexpr std::string_view prefix = "epoch-", suffix = ".json";
  if (!name.starts_with(prefix) || !name.ends_with(suffix)) return std::nullopt;
  auto digits =
    std::string_view(name).substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc{} || end != digits.data() + digits.size() || n == 0 || digits[0] == '0')
    return std::nullopt;
  return n;
}

/// Committed epochs, ascending.
std::vector<uint64_t> committed_epochs(const std::string& dir) {
  std::vector<uint64_t> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (auto n = epoch_of(it->path().filename().string())) out.push_back(*n);
  std::sort(out.begin(), out.end());
  return out;
}

std::string epoch_path(const std::string& dir, uint64_t epoch) {
  return dir + "/epoch-" + std::to_string(epoch) + ".json";
}

bool parse_member(simdjson::dom::element e, size_t i, cluster_node& out, std::string& error) {
  const std::string where = "members[" + std::to_string(i) + "]";
  simdjson::dom::object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) return error = where + ": not an object", false;
  int64_t port = 0;
  if (!json_string(o, "id", where, out.id, error) || !json_string(o, "host", where, out.host, error)
      || !json_i64(o, "port", where, port, error))
    return false;
  if (!valid_node_id(out.id))
    return error = where + ".id: '" + out.id + "' is not a node id", false;
  if (port < 1 || port > 65535) return error = where + ".port: expected 1..65535", false;
  out.port = port;
  return true;
}

}  // namespace

std::optional<size_t> membership::index_of(std::string_view id) const {
  for (size_t i = 0; i < members.size(); ++i)
    if (members[i].id == id) return i;
  return std::nullopt;
}

std::string membership::ids() const {
  std::string out;
  for (const auto& m : members) out += (out.empty() ? "" : ", ") + m.id;
  return out;
}

std::string membership_dir(const std::string& checkpoint_dir) {
  return checkpoint_dir + "/membership";
}

std::string membership_json(const membership& m) {
  std::string out = "{\"epoch\":" + std::to_string(m.epoch) + ",\"members\":[";
  for (size_t i = 0; i < m.members.size(); ++i) {
    const auto& n = m.members[i];
    out += i == 0 ? "{\"id\":" : ",{\"id\":";
    json_append_string(out, n.id);
    out += ",\"host\":";
    json_append_string(out, n.host);
    out += ",\"port\":" + std::to_string(n.port) + "}";
  }
  out += "],\"checkpoint_id\":" + std::to_string(m.checkpoint_id)
         + ",\"created_ms\":" + std::to_string(m.created_ms) + ",\"change\":";
  json_append_string(out, m.change);
  return out += "}\n";
}

bool parse_membership(std::string_view json, membership& out, std::string& error) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::object o;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS
      || doc.get_object().get(o) != simdjson::SUCCESS)
    return error = "not a JSON object", false;
  membership m;
  simdjson::dom::array members;
  if (!json_u64(o, "epoch", "membership", m.epoch, error)
      || !json_array(o, "members", "membership", members, error)
      || !json_u64(o, "checkpoint_id", "membership", m.checkpoint_id, error)
      || !json_i64(o, "created_ms", "membership", m.created_ms, error)
      || !json_string(o, "change", "membership", m.change, error))
    return false;
  for (auto e : members) {
    cluster_node n;
    if (!parse_member(e, m.members.size(), n, error)) return false;
    if (m.index_of(n.id)) return error = "members: '" + n.id + "' listed twice", false;
    m.members.push_back(std::move(n));
  }
  if (m.epoch == 0 || m.members.empty())
    return error = "membership: epoch >= 1 and members expected", false;
  out = std::move(m);
  return true;
}

result<std::optional<membership>> load_membership(const std::string& checkpoint_dir) {
  const auto dir = membership_dir(checkpoint_dir);
  auto epochs = committed_epochs(dir);
  if (epochs.empty()) return std::optional<membership>{};
  const auto path = epoch_path(dir, epochs.back());
  std::string text, error;
  membership m;
  if (!read_whole_file(path, text, error)) return status::bad_input("membership: " + error);
  if (!parse_membership(text, m, error)) return status::bad_input(path + ": " + error);
  if (m.epoch != epochs.back())
    return status::bad_input(path + ": says epoch " + std::to_string(m.epoch));
  return std::optional<membership>(std::move(m));
}

result<membership> current_membership(const std::string& checkpoint_dir,
                                      const std::vector<cluster_node>& seeds) {
  auto committed = load_membership(checkpoint_dir);
  if (!committed) return committed.error();
  if (*committed) return std::move(**committed);
  return membership{.members = seeds, .change = "the config's node list"};
}

status commit_membership(const std::string& checkpoint_dir, const membership& m) {
  if (m.epoch == 0 || m.members.empty())
    return status::fatal("commit_membership: epoch >= 1 and members required");
  const auto dir = membership_dir(checkpoint_dir);
  std::string error;
  if (!make_directory(checkpoint_dir, error) || !make_directory(dir, error))
    return status::retriable(error);
  const auto tmp =
    dir + "/.epoch-" + std::to_string(m.epoch) + "." + std::to_string(::getpid()) + ".tmp";
  if (!write_file_durable(tmp, {membership_json(m)}, error)) return status::retriable(error);
  const auto path = epoch_path(dir, m.epoch);
  // link() fails with EEXIST if the epoch is taken: the commit is a compare-and-set.
  const int linked = ::link(tmp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked != 0) {
    if (link_errno == EEXIST)
      return status::retriable(
        "membership epoch " + std::to_string(m.epoch)
        + " was committed by another node first: this node is fenced and re-reads it");
    errno = link_errno;
    return status::retriable(os_error("link", path));
  }
  if (!fsync_directory(dir, error)) return status::retriable(error);
  auto epochs = committed_epochs(dir);
  for (size_t i = 0; i + epochs_kept < epochs.size(); ++i)
    ::unlink(epoch_path(dir, epochs[i]).c_str());
  return {};
}

}  // namespace rtfeat

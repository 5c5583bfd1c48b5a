// Membership change requests (see membership_requests.hpp). A request is one
// small file: leave-<id> (its content is only for people: when it was asked) or
// join-<id> holding "host:port".
#include "runtime/cluster/membership_requests.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "config/host_port.hpp"
#include "runtime/checkpoint/file_io.hpp"

namespace rtfeat {

namespace fs = std::filesystem;

namespace {

std::string requests_dir(const std::string& checkpoint_dir) {
  return membership_dir(checkpoint_dir) + "/requests";
}

std::string file_name(const membership_request& r) {
  return (r.what == membership_request::kind::leave ? "leave-" : "join-") + r.node.id;
}

/// The request a file of the requests directory holds, or nullopt.
std::optional<membership_request> read_request(const fs::path& path) {
  const auto name = path.filename().string();
  membership_request r;
  std::string id;
  if (name.starts_with("leave-")) {
    id = name.substr(6);
  } else if (name.starts_with("join-")) {
    r.what = membership_request::kind::join;
    id = name.substr(5);
    std::string text, error;
    int port = 0;
    if (!read_whole_file(path.string(), text, error)) return std::nullopt;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (!parse_host_port(text, r.node.host, port)) return std::nullopt;
    r.node.port = port;
  } else {
    return std::nullopt;
  }
  if (!valid_node_id(id)) return std::nullopt;
  r.node.id = id;
  return r;
}

}  // namespace

std::string membership_request::text() const {
  return what == kind::leave ? "leave " + node.id : "join " + node.id + " (" + node.address() + ")";
}

status file_request(const std::string& checkpoint_dir, const membership_request& r) {
  if (!valid_node_id(r.node.id)) return status::bad_input("'" + r.node.id + "' is not a node id");
  if (r.what == membership_request::kind::join
      && (r.node.host.empty() || r.node.port < 1 || r.node.port > 65535))
    return status::bad_input("join " + r.node.id + ": expected host:port with a port in 1..65535");
  std::string error;
  const auto dir = requests_dir(checkpoint_dir);
  if (!make_directory(checkpoint_dir, error)
      || !make_directory(membership_dir(checkpoint_dir), error) || !make_directory(dir, error))
    return status::retriable(error);
  const auto body =
    r.what == membership_request::kind::join ? r.node.address() : std::string("asked");
  if (!write_file_durable(dir + "/" + file_name(r), {body, "\n"}, error)
      || !fsync_directory(dir, error))
    return status::retriable(error);
  return {};
}

std::vector<membership_request> pending_requests(const std::string& checkpoint_dir) {
  std::vector<std::pair<fs::file_time_type, membership_request>> found;
  std::error_code ec;
  for (fs::directory_iterator it(requests_dir(checkpoint_dir), ec), end; !ec && it != end;
       it.increment(ec)) {
    auto r = read_request(it->path());
    if (!r) continue;
    std::error_code tec;
    found.emplace_back(fs::last_write_time(it->path(), tec), std::move(*r));
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<membership_request> out;
  out.reserve(found.size());
  for (auto& [when, r] : found) out.push_back(std::move(r));
  return out;
}

void drop_request(const std::string& checkpoint_dir, const membership_request& r) {
  if (valid_node_id(r.node.id))
    ::unlink((requests_dir(checkpoint_dir) + "/" + file_name(r)).c_str());
}

std::optional<membership> next_membership(const membership& current, const membership_request& r,
                                          uint64_t checkpoint_id, int64_t now_ms,
                                          std::string& why_not) {
  membership next{.epoch = current.epoch + 1,
                  .members = current.members,
                  .checkpoint_id = checkpoint_id,
                  .created_ms = now_ms,
                  .change = r.text()};
  const auto where =
    "membership epoch " + std::to_string(current.epoch) + " lists " + current.ids();
  if (r.what == membership_request::kind::leave) {
    if (!current.index_of(r.node.id))
      return why_not = "'" + r.node.id + "' is not a member: " + where, std::nullopt;
    if (current.members.size() == 1)
      return why_not = "'" + r.node.id + "' is the last member", std::nullopt;
    std::erase_if(next.members, [&](const cluster_node& n) { return n.id == r.node.id; });
    return next;
  }
  if (current.index_of(r.node.id))
    return why_not = "'" + r.node.id + "' is a member already: " + where, std::nullopt;
  for (const auto& m : current.members)
    if (m.host == r.node.host && m.port == r.node.port)
      return why_not = "member '" + m.id + "' has the address " + m.address(), std::nullopt;
  next.members.push_back(r.node);
  return next;
}

}  // namespace rtfeat

// POSIX implementations of the checkpoint file helpers. EINTR is retried and
// partial writes/reads are continued; fsync errors are reported, not retried
// (after a failed fsync the page cache state is unknown: the caller aborts).
#include "runtime/checkpoint/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <vector>

namespace rtfeat {

unique_fd::~unique_fd() {
  if (fd_ >= 0) ::close(fd_);
}

bool unique_fd::close() {
  const int fd = fd_;
  fd_ = -1;
  return fd < 0 || ::close(fd) == 0;
}

std::string os_error(std::string_view what, const std::string& path) {
  std::string msg(what);
  msg += " " + path + ": " + std::error_code(errno, std::generic_category()).message();
  return msg;
}

namespace {

// Writes all iovecs, continuing after partial writes.
bool write_all(int fd, std::vector<iovec>& iov) {
  size_t first = 0;
  while (first < iov.size()) {
    const auto n =
      ::writev(fd, &iov[first], static_cast<int>(std::min<size_t>(iov.size() - first, 64)));
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    auto left = static_cast<size_t>(n);
    while (first < iov.size() && left >= iov[first].iov_len) left -= iov[first++].iov_len;
    if (first < iov.size()) {
      iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + left;
      iov[first].iov_len -= left;
    }
  }
  return true;
}

}  // namespace

namespace {

bool write_file(const std::string& path, std::initializer_list<std::string_view> pieces, bool sync,
                std::string& error) {
  unique_fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.is_open()) return error = os_error("cannot create", path), false;
  std::vector<iovec> iov;
  for (auto p : pieces)
    if (!p.empty()) iov.push_back({const_cast<char*>(p.data()), p.size()});
  bool ok = write_all(fd.get(), iov) || (error = os_error("cannot write", path), false);
  ok = ok && (!sync || ::fsync(fd.get()) == 0 || (error = os_error("cannot fsync", path), false));
  ok = ok && (fd.close() || (error = os_error("cannot close", path), false));
  // A file cut short (a full disk) is useless and takes the space a retry needs.
  if (!ok) ::unlink(path.c_str());
  return ok;
}

}  // namespace

bool write_file_durable(const std::string& path, std::initializer_list<std::string_view> pieces,
                        std::string& error) {
  return write_file(path, pieces, true, error);
}

bool write_file_unsynced(const std::string& path, std::initializer_list<std::string_view> pieces,
                         std::string& error) {
  return write_file(path, pieces, false, error);
}

bool sync_filesystem_of(const std::string& dir, std::string& error) {
  unique_fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.is_open()) return error = os_error("cannot open directory", dir), false;
  if (::syncfs(fd.get()) != 0) return error = os_error("cannot sync the filesystem of", dir), false;
  return true;
}

bool fsync_directory(const std::string& dir, std::string& error) {
  unique_fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.is_open()) return error = os_error("cannot open directory", dir), false;
  if (::fsync(fd.get()) != 0) return error = os_error("cannot fsync directory", dir), false;
  return true;
}

bool read_exact(int fd, char* buf, size_t size, size_t& got) {
  got = 0;
  errno = 0;  // stays 0 when the read stops at end of file
  while (got < size) {
    const auto n = ::read(fd, buf + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    got += static_cast<size_t>(n);
  }
  return true;
}

bool read_whole_file(const std::string& path, std::string& out, std::string& error) {
  unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (!fd.is_open() || ::fstat(fd.get(), &st) != 0)
    return error = os_error("cannot open", path), false;
  out.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  if (!read_exact(fd.get(), out.data(), out.size(), got)) {
    if (errno != 0 && got < out.size()) return error = os_error("cannot read", path), false;
    out.resize(got);  // shrank while reading
  }
  return true;
}

bool make_directory(const std::string& dir, std::string& error) {
  if (::mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return true;
    errno = ENOTDIR;
  }
  return error = os_error("cannot create directory", dir), false;
}

}  // namespace rtfeat

// POSIX file helpers for the checkpoint store: durable writes (write + fsync, or
// many writes + one syncfs),
// directory fsync, exact reads. Every failure comes back as a message naming the
// path and the OS error; nothing throws. All functions block on disk I/O.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace rtfeat {

/// Owns a file descriptor; closes it on destruction.
class unique_fd {
public:
  explicit unique_fd(int fd = -1) : fd_(fd) {}
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  ~unique_fd();
  int get() const { return fd_; }
  bool is_open() const { return fd_ >= 0; }
  /// Closes now; false (with errno set) when close reports an error.
  bool close();

private:
  int fd_;
};

/// "<what> <path>: <OS error text for errno>".
std::string os_error(std::string_view what, const std::string& path);

/// Creates or truncates `path`, writes the pieces in order, fsyncs and closes it.
/// The directory entry is not synced: call fsync_directory on the parent for that.
bool write_file_durable(const std::string& path, std::initializer_list<std::string_view> pieces,
                        std::string& error);

/// Creates or truncates `path` and writes the pieces, without fsync: for files
/// made durable together by sync_filesystem_of (one journal commit, not one each).
bool write_file_unsynced(const std::string& path, std::initializer_list<std::string_view> pieces,
                         std::string& error);

/// syncfs(2) on the filesystem holding `dir`: every file written there so far is
/// durable when it returns true (Linux >= 5.8 reports writeback errors here).
bool sync_filesystem_of(const std::string& dir, std::string& error);

/// fsyncs a directory so that the entries created, renamed or removed in it are durable.
bool fsync_directory(const std::string& dir, std::string& error);

/// Reads exactly `size` bytes at the current position; false on error or early EOF
/// (`got` then says how many bytes were read; errno is 0 for end of file).
bool read_exact(int fd, char* buf, size_t size, size_t& got);

/// Reads a whole (small) file into `out`.
bool read_whole_file(const std::string& path, std::string& out, std::string& error);

/// Creates `dir` if it does not exist (parent must exist); false on any other error.
bool make_directory(const std::string& dir, std::string& error);

}  // namespace rtfeat

// SPDX-License-Identifier: Apache-2.0
#include "buffer/seq_mark.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "buffer/outbox.hpp"

namespace dockgate::buffer {

namespace {

constexpr const char* kTag = "dockgate-seq";

std::string sys_error(const std::string& what, const std::string& path) {
  return "outbox seq mark '" + path + "': " + what + ": " + std::strerror(errno);
}

void fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw OutboxError(sys_error("cannot open for fsync", path));
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  errno = saved;
  if (rc != 0) throw OutboxError(sys_error("fsync failed", path));
}

}  // namespace

SeqMark::SeqMark(std::string db_path, std::uint64_t block)
    : path_(std::move(db_path) + ".seq"), block_(block == 0 ? 1 : block) {}

std::optional<std::uint64_t> SeqMark::load() {
  std::ifstream in(path_);
  if (!in) return std::nullopt;
  std::string tag;
  std::uint64_t mark = 0;
  if (!(in >> tag >> mark) || tag != kTag) {
    spdlog::warn("outbox seq mark '{}': unreadable; ignored", path_);
    return std::nullopt;
  }
  mark_ = std::max(mark_, mark);
  return mark;
}

void SeqMark::ensure(std::uint64_t seq) {
  if (seq <= mark_) return;
  store(seq + block_);
}

void SeqMark::store(std::uint64_t mark) {
  const std::string tmp = path_ + ".tmp";
  const std::string text = std::string(kTag) + " " + std::to_string(mark) + "\n";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) throw OutboxError(sys_error("cannot create", tmp));
  const ssize_t n = ::write(fd, text.data(), text.size());
  const bool ok = n == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    errno = n >= 0 && n != static_cast<ssize_t>(text.size()) ? ENOSPC : saved;
    throw OutboxError(sys_error("cannot write", tmp));
  }
  if (::rename(tmp.c_str(), path_.c_str()) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    errno = e;
    throw OutboxError(sys_error("cannot rename into place", tmp));
  }
  // The rename itself must survive a power loss, or the old (lower) mark could come back.
  std::string dir = std::filesystem::path(path_).parent_path().string();
  if (dir.empty()) dir = ".";
  fsync_path(dir, O_RDONLY | O_DIRECTORY);
  mark_ = mark;
}

}  // namespace dockgate::buffer

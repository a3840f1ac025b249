// SPDX-License-Identifier: Apache-2.0
#include "buffer/space_reserve.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>
#include <limits>
#include <utility>

namespace dockgate::buffer {

SpaceReserve::SpaceReserve(std::string db_path, std::uint64_t bytes)
    : path_(std::move(db_path) + ".reserve"), bytes_(bytes) {}

bool SpaceReserve::restore() noexcept {
  if (present()) return true;
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return false;
  // posix_fallocate allocates real blocks (also on tmpfs), unlike a sparse ftruncate.
  const int rc = ::posix_fallocate(fd, 0, static_cast<off_t>(bytes_));
  const bool ok = rc == 0 && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(path_.c_str());
    return false;
  }
  present_ = true;
  return true;
}

bool SpaceReserve::release() noexcept {
  if (bytes_ == 0) return false;
  const bool existed = ::unlink(path_.c_str()) == 0;
  const bool had = present_ || existed;
  present_ = false;
  return had;
}

std::uint64_t SpaceReserve::free_bytes(const std::string& path) noexcept {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  struct statvfs st {};
  if (::statvfs(dir.c_str(), &st) != 0) return std::numeric_limits<std::uint64_t>::max();
  return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
}

}  // namespace dockgate::buffer

// SPDX-License-Identifier: Apache-2.0
// Disk space held back for the operations that free space: on a full disk, acks (DELETEs),
// checkpoints and the rejected counter need WAL room too. "<db path>.reserve" is a
// preallocated file that is deleted when such an operation hits SQLITE_FULL and re-created
// once there is room again; new appends wait while it is missing.
#pragma once

#include <cstdint>
#include <string>

namespace dockgate::buffer {

class SpaceReserve {
 public:
  /// `bytes` 0 disables the reserve (present() is then always true).
  SpaceReserve(std::string db_path, std::uint64_t bytes);

  /// True when the reserve file holds its full size (or the reserve is disabled).
  [[nodiscard]] bool present() const noexcept { return bytes_ == 0 || present_; }
  /// Creates the file with all its blocks allocated (posix_fallocate). False when the file
  /// system has no room for it; nothing is left behind then. Never throws.
  bool restore() noexcept;
  /// Deletes the file, giving its blocks back. False when there was nothing to release.
  bool release() noexcept;
  [[nodiscard]] std::uint64_t bytes() const noexcept { return bytes_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

  /// Bytes available to this process on the file system holding `path` (statvfs f_bavail);
  /// UINT64_MAX when it cannot be determined.
  static std::uint64_t free_bytes(const std::string& path) noexcept;

 private:
  std::string path_;
  std::uint64_t bytes_;
  bool present_ = false;
};

}  // namespace dockgate::buffer

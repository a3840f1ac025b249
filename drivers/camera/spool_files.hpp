// SPDX-License-Identifier: Apache-2.0
// File operations of the spool directory: listing, and moving a processed image away.
#pragma once

#include <string>
#include <system_error>
#include <vector>

#include "drivers/camera/spool_tracker.hpp"

namespace dockgate::drivers {

/// Regular files directly in `dir` (not recursive). Sets `ec` when the directory cannot be
/// read (missing, permission denied, not a directory); files vanishing meanwhile are skipped.
std::vector<SpoolFile> list_spool_files(const std::string& dir, std::error_code& ec);

/// Moves `path` into directory `target_dir` (created if needed) under its own name; when that
/// name is taken (cameras reuse names such as snapshot.jpg) a "-<n>" is added before the
/// extension. Falls back to copy + remove across file systems. Returns the new path, or ""
/// with `ec` set.
std::string move_into(const std::string& path, const std::string& target_dir, std::error_code& ec);

}  // namespace dockgate::drivers

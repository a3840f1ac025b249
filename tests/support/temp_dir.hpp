// SPDX-License-Identifier: Apache-2.0
// RAII temporary directory for tests: created under $TMPDIR (or /tmp), removed with its
// contents when the object goes away.
#pragma once

#include <string>
#include <string_view>

namespace dockgate::test {

class TempDir {
 public:
  /// Creates a fresh directory "<tmp>/<prefix>-XXXXXX" (mode 0700).
  /// Throws std::runtime_error when it cannot be created.
  explicit TempDir(std::string_view prefix = "dockgate-test");
  /// Removes the directory recursively unless keep() was called. Never throws.
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// Absolute path of the directory, without a trailing slash.
  [[nodiscard]] const std::string& path() const { return path_; }
  /// path() + "/" + name; the file is not created.
  [[nodiscard]] std::string file(std::string_view name) const;
  /// Leaves the directory in place (for post-mortem diagnostics of a failed test).
  void keep() { keep_ = true; }

 private:
  std::string path_;
  bool keep_ = false;
};

/// Writes `content` to `path` (truncating). Throws std::runtime_error on failure.
void write_file(const std::string& path, std::string_view content);

/// Whole file as bytes; "" when the file cannot be read.
std::string read_file(const std::string& path);

}  // namespace dockgate::test

// SPDX-License-Identifier: Apache-2.0
// plans.dir: a directory of plan files (<planId>.json, one plan each) for sites without a
// central system, and for tests. Polled (a few files, every few seconds: cheaper and more
// portable than inotify, and it also sees files on network mounts). Write a file atomically
// (write a dot-file, then rename): names starting with '.' are ignored.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace dockgate::runtime {

/// A plan file that is new, changed or gone since the last scan.
struct PlanFile {
  std::string plan_id;  ///< the file name without ".json"
  std::string name;     ///< the file name
  std::string text;     ///< its content ("" when removed or unreadable)
  bool removed = false;
  std::string error;  ///< "" or why it could not be read (too big, unreadable)
};

class PlanDir {
 public:
  /// Files above this are not read (a plan is at most 1 MiB of JSON).
  static constexpr std::uintmax_t kMaxFileBytes = 1 << 20;

  explicit PlanDir(std::filesystem::path dir) : dir_(std::move(dir)) {}

  /// Reads the directory: every *.json file that is new or whose size or modification time
  /// changed since the last scan, then every file seen before that is gone. A missing or
  /// unreadable directory yields nothing (and `problem()` says why) and forgets nothing.
  std::vector<PlanFile> scan();
  /// "" or why the last scan could not list the directory.
  [[nodiscard]] const std::string& problem() const { return problem_; }

 private:
  struct Seen {
    std::filesystem::file_time_type mtime;
    std::uintmax_t size = 0;
  };
  std::filesystem::path dir_;
  std::map<std::string, Seen> seen_;  ///< by file name
  std::string problem_;
};

}  // namespace dockgate::runtime

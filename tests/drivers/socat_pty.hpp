// SPDX-License-Identifier: Apache-2.0
// A socat-made pty pair standing in for a serial scanner:
//   socat pty,raw,echo=0,link=<dir>/scanner pty,raw,echo=0,link=<dir>/host
// The test writes scans into <dir>/scanner; the driver opens <dir>/host.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace dockgate::drivers::test {

/// A temporary directory removed with its content on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Runs socat until destroyed or unplug(). Throws std::runtime_error when socat cannot be
/// started or its links do not appear within 5 s.
class SocatPty {
 public:
  explicit SocatPty(const std::filesystem::path& dir);
  ~SocatPty();
  SocatPty(const SocatPty&) = delete;
  SocatPty& operator=(const SocatPty&) = delete;

  /// Simulates pulling the cable: SIGTERM, reap, wait until socat removed its links.
  void unplug();
  /// Writes all of `bytes` into the scanner end (opened on first use).
  void write(const std::string& bytes);

  [[nodiscard]] std::string host_path() const { return (dir_ / "host").string(); }

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int scanner_fd_ = -1;
};

}  // namespace dockgate::drivers::test

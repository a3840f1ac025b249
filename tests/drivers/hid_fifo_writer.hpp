// SPDX-License-Identifier: Apache-2.0
// Test helper: the writing end of a FIFO that replays recorded input_event streams into a
// hid_scanner (its replay mode), as a scanner would deliver them from a real event device.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace dockgate::drivers::test {

/// Opens `path` for writing; the reader (the driver) must already have it open, else the
/// non-blocking open fails with ENXIO and this throws std::runtime_error.
class FifoWriter {
 public:
  explicit FifoWriter(const std::string& path)
      : fd_(::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC)) {
    if (fd_ < 0) throw std::runtime_error("open FIFO " + path + " for writing failed");
  }
  ~FifoWriter() { close(); }
  FifoWriter(const FifoWriter&) = delete;
  FifoWriter& operator=(const FifoWriter&) = delete;

  /// Writes all of `bytes` (well below the pipe buffer in these tests); throws on failure.
  void write(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n < 0) throw std::runtime_error("write to FIFO failed");
      done += static_cast<std::size_t>(n);
    }
  }

  /// Closes the writing end: the reader sees EOF ("the scanner was unplugged").
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

}  // namespace dockgate::drivers::test

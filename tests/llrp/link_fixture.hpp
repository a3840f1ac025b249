// SPDX-License-Identifier: Apache-2.0
// What the reader link tests share: an io_context thread for the link and a recorder of its
// callbacks.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "drivers/llrp/reader_link.hpp"

namespace dockgate::test {

/// The agent's io_context stand-in: runs on its own thread until destroyed.
class IoThread {
 public:
  IoThread() : guard_(io.get_executor()), thread_([this] { io.run(); }) {}
  ~IoThread() {
    guard_.reset();
    io.stop();
    thread_.join();
  }
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;
  boost::asio::io_context io;

 private:
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread thread_;
};

/// Records every callback of a link (thread-safe).
class LinkRecorder {
 public:
  struct Error {
    std::string kind, message, raw;
  };
  drivers::llrp::ReaderLinkCallbacks callbacks() {
    drivers::llrp::ReaderLinkCallbacks cb;
    cb.on_tags = [this](std::vector<drivers::llrp::TagSighting>&& tags, std::int64_t) {
      std::lock_guard lock(mutex_);
      for (auto& t : tags) tags_.push_back(std::move(t));
    };
    cb.on_error = [this](const std::string& kind, const std::string& message,
                         const std::string& raw) {
      std::lock_guard lock(mutex_);
      errors_.push_back({kind, message, raw});
    };
    cb.on_status = [this](bool up, const std::string& detail) {
      std::lock_guard lock(mutex_);
      statuses_.emplace_back(up, detail);
    };
    return cb;
  }
  std::vector<drivers::llrp::TagSighting> tags() const {
    std::lock_guard lock(mutex_);
    return tags_;
  }
  std::vector<Error> errors() const {
    std::lock_guard lock(mutex_);
    return errors_;
  }
  std::vector<std::pair<bool, std::string>> statuses() const {
    std::lock_guard lock(mutex_);
    return statuses_;
  }
  /// Number of "up" status reports so far.
  int ups() const {
    std::lock_guard lock(mutex_);
    int n = 0;
    for (const auto& s : statuses_) n += s.first ? 1 : 0;
    return n;
  }
  bool has_error(const std::string& kind) const {
    std::lock_guard lock(mutex_);
    for (const auto& e : errors_) {
      if (e.kind == kind) return true;
    }
    return false;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<drivers::llrp::TagSighting> tags_;
  std::vector<Error> errors_;
  std::vector<std::pair<bool, std::string>> statuses_;
};

}  // namespace dockgate::test

// SPDX-License-Identifier: Apache-2.0
// Test helpers: a ReadSink that records what a driver delivers, and a way to run the
// io_context until a condition holds (with a deadline instead of sleeps).
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "agent/scan_read.hpp"

namespace dockgate::drivers::test {

/// Records every call in order of arrival.
class RecordingSink : public ReadSink {
 public:
  void on_read(ScanRead read) override { reads.push_back(std::move(read)); }
  void on_read_error(ReadError error) override { errors.push_back(std::move(error)); }
  void on_device_status(DeviceStatus status) override { statuses.push_back(std::move(status)); }
  void on_dock_signal(DockSignal signal) override { signals.push_back(std::move(signal)); }

  /// Number of statuses with this `up` value whose detail contains `text`.
  [[nodiscard]] std::size_t count_status(bool up, const std::string& text = "") const {
    std::size_t n = 0;
    for (const auto& s : statuses) {
      if (s.up == up && s.detail.find(text) != std::string::npos) ++n;
    }
    return n;
  }
  /// True when the latest status has this `up` value (and contains `text`).
  [[nodiscard]] bool last_status_is(bool up, const std::string& text = "") const {
    return !statuses.empty() && statuses.back().up == up &&
           statuses.back().detail.find(text) != std::string::npos;
  }

  std::vector<ScanRead> reads;
  std::vector<ReadError> errors;
  std::vector<DeviceStatus> statuses;
  std::vector<DockSignal> signals;
};

/// Runs `io` in short slices until `done()` is true or `timeout` passes. Returns done().
template <class Predicate>
bool run_until(boost::asio::io_context& io, Predicate done,
               std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  auto guard = boost::asio::make_work_guard(io);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (io.stopped()) io.restart();
    io.run_one_for(std::chrono::milliseconds(20));
  }
  return true;
}

/// Runs every handler that is ready now (used before destroying a driver's io_context).
inline void drain(boost::asio::io_context& io) {
  if (io.stopped()) io.restart();
  io.poll();
}

}  // namespace dockgate::drivers::test

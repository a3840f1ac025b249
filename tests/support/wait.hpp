// SPDX-License-Identifier: Apache-2.0
// Polling with a deadline, for conditions that have no notification (files, counters).
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace dockgate::test {

/// Calls `pred` every `interval` until it returns true (-> true) or `timeout` passed (-> the
/// last result, so a condition that became true at the deadline still counts).
inline bool poll_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout,
                       std::chrono::milliseconds interval = std::chrono::milliseconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return pred();
    std::this_thread::sleep_for(interval);
  }
  return true;
}

}  // namespace dockgate::test

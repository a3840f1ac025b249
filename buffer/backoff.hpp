// SPDX-License-Identifier: Apache-2.0
// Small timing helpers of the outbox writer: retry backoff and rate-limited logging.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>

namespace dockgate::buffer {

using SteadyClock = std::chrono::steady_clock;

/// Exponential retry delay: 100 ms, 200 ms ... capped at 5 s; reset by a success.
/// A failing disk is retried often enough to resume quickly, rarely enough not to spin.
class Backoff {
 public:
  static constexpr std::chrono::milliseconds first{100};
  static constexpr std::chrono::milliseconds cap{5000};

  /// Schedules the next attempt after the current delay, then doubles the delay.
  void failed(SteadyClock::time_point now) {
    retry_at_ = now + delay_;
    delay_ = std::min(delay_ * 2, cap);
  }
  void succeeded() {
    delay_ = first;
    retry_at_ = {};
  }
  /// Allows the next attempt now (e.g. acks just freed pages) without resetting the delay.
  void retry_now() { retry_at_ = {}; }
  [[nodiscard]] SteadyClock::time_point retry_at() const { return retry_at_; }

 private:
  std::chrono::milliseconds delay_ = first;
  SteadyClock::time_point retry_at_{};
};

/// Lets one log line through per period and counts the ones it held back.
class LogLimiter {
 public:
  explicit LogLimiter(std::chrono::milliseconds period) : period_(period) {}
  /// The number of suppressed events since the last allowed one when this one may be logged.
  std::optional<std::uint64_t> allow(SteadyClock::time_point now) {
    if (now < next_) {
      ++suppressed_;
      return std::nullopt;
    }
    next_ = now + period_;
    const std::uint64_t suppressed = suppressed_;
    suppressed_ = 0;
    return suppressed;
  }

 private:
  std::chrono::milliseconds period_;
  SteadyClock::time_point next_{};
  std::uint64_t suppressed_ = 0;
};

}  // namespace dockgate::buffer

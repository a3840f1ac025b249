// SPDX-License-Identifier: Apache-2.0
// Debounce of one boolean point from periodic samples: a new value is reported once samples
// have shown it for at least `debounce`, stamped with the time it was first seen. Decided on
// sample times only (no timers), so a late io_context never shortens or stretches the hold.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace dockgate::drivers {

class PointDebouncer {
 public:
  using Clock = std::chrono::steady_clock;

  /// A value to report: the new state and the UTC ms of the first sample that showed it.
  struct Change {
    bool value = false;
    std::int64_t first_seen_ms = 0;
  };

  explicit PointDebouncer(std::chrono::milliseconds debounce) : debounce_(debounce) {}

  /// Starts from a reported state (the initial read after a (re)connect); drops any candidate.
  void reset(bool reported);

  /// Feeds one sample taken at `at` (steady) / `utc_ms` (UTC). Returns the change to report
  /// when `value` differs from the reported state and every sample since it first appeared
  /// (at least `debounce` ago) showed it; a sample back at the reported state drops the
  /// candidate (chatter). Before reset() nothing is reported.
  std::optional<Change> sample(bool value, Clock::time_point at, std::int64_t utc_ms);

  [[nodiscard]] bool reported() const { return reported_; }

 private:
  std::chrono::milliseconds debounce_;
  bool known_ = false;
  bool reported_ = false;
  bool pending_ = false;  ///< a candidate (!reported_) is being held
  Clock::time_point pending_since_{};
  std::int64_t pending_since_ms_ = 0;
};

}  // namespace dockgate::drivers

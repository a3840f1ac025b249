// SPDX-License-Identifier: Apache-2.0
// Exponential backoff with optional jitter for reopen / reconnect loops.
#pragma once

#include <chrono>
#include <random>

namespace dockgate::drivers {

/// Delay sequence min, 2*min, 4*min, ... capped at max, each shortened by a random fraction
/// in [0, jitter) so that many gateways restarting together do not retry in lockstep.
class Backoff {
 public:
  /// `min` > 0 and `max` >= `min` (ms); `jitter` in [0, 1], clamped. 0 = deterministic.
  Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max, double jitter = 0.0);

  /// Delay before the next attempt; advances the sequence. Always within
  /// [(1 - jitter) * min, max] and at least 1 ms.
  std::chrono::milliseconds next();

  /// Back to `min` (call after a successful open / connect).
  void reset() { current_ = min_; }

 private:
  std::chrono::milliseconds min_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds current_;
  double jitter_;
  std::minstd_rand rng_;
};

}  // namespace dockgate::drivers

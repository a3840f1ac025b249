// SPDX-License-Identifier: Apache-2.0
// Reconnect delays: exponential growth with jitter, so a fleet of gateways does not hammer a
// broker that just came back in lock-step.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace dockgate::uplink {

class Backoff {
 public:
  /// `min` > 0 and `max` >= `min` (checked by the caller's option validation).
  Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max, std::uint64_t seed);

  /// Delay before the next attempt. Attempt k (from 0) has a ceiling c = min(max, min * 2^k);
  /// the delay is uniform in [max(min, c/2), c] ("equal jitter"): never below `min`, so a
  /// refusing broker is never retried in a tight loop.
  std::chrono::milliseconds next();
  /// After a successful connect: the next failure starts again at `min`.
  void reset() { attempt_ = 0; }
  [[nodiscard]] std::uint32_t attempt() const { return attempt_; }

 private:
  std::chrono::milliseconds min_;
  std::chrono::milliseconds max_;
  std::uint32_t attempt_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace dockgate::uplink

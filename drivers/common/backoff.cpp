// SPDX-License-Identifier: Apache-2.0
#include "drivers/common/backoff.hpp"

#include <algorithm>

namespace dockgate::drivers {

Backoff::Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max, double jitter)
    : min_(std::max(min, std::chrono::milliseconds(1))),
      max_(std::max(max, min_)),
      current_(min_),
      jitter_(std::clamp(jitter, 0.0, 1.0)),
      rng_(std::random_device{}()) {}

std::chrono::milliseconds Backoff::next() {
  const std::chrono::milliseconds base = current_;
  // Double without overflow: once past half of max the next step is max.
  current_ = base > max_ / 2 ? max_ : std::min(base * 2, max_);
  if (jitter_ <= 0.0) return base;
  std::uniform_real_distribution<double> fraction(0.0, jitter_);
  const auto cut = static_cast<std::chrono::milliseconds::rep>(static_cast<double>(base.count()) *
                                                               fraction(rng_));
  return std::max(base - std::chrono::milliseconds(cut), std::chrono::milliseconds(1));
}

}  // namespace dockgate::drivers

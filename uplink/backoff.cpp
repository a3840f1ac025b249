// SPDX-License-Identifier: Apache-2.0
#include "uplink/backoff.hpp"

#include <algorithm>

namespace dockgate::uplink {

Backoff::Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max, std::uint64_t seed)
    : min_(min), max_(std::max(min, max)), rng_(seed) {}

std::chrono::milliseconds Backoff::next() {
  // Doubling stops once the ceiling reaches max, so it cannot overflow.
  std::int64_t ceiling = min_.count();
  for (std::uint32_t i = 0; i < attempt_ && ceiling < max_.count(); ++i) ceiling *= 2;
  ceiling = std::min<std::int64_t>(ceiling, max_.count());
  const std::int64_t floor = std::max<std::int64_t>(min_.count(), ceiling / 2);
  std::uniform_int_distribution<std::int64_t> dist(floor, std::max(floor, ceiling));
  if (attempt_ < 63) ++attempt_;
  return std::chrono::milliseconds(dist(rng_));
}

}  // namespace dockgate::uplink

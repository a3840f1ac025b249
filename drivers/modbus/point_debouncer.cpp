// SPDX-License-Identifier: Apache-2.0
#include "drivers/modbus/point_debouncer.hpp"

namespace dockgate::drivers {

void PointDebouncer::reset(bool reported) {
  known_ = true;
  reported_ = reported;
  pending_ = false;
}

std::optional<PointDebouncer::Change> PointDebouncer::sample(bool value, Clock::time_point at,
                                                             std::int64_t utc_ms) {
  if (!known_) return std::nullopt;
  if (value == reported_) {
    pending_ = false;  // back before the hold time ended: chatter, nothing to report
    return std::nullopt;
  }
  if (!pending_) {
    pending_ = true;
    pending_since_ = at;
    pending_since_ms_ = utc_ms;
  }
  if (at - pending_since_ < debounce_) return std::nullopt;
  reported_ = value;
  pending_ = false;
  return Change{value, pending_since_ms_};
}

}  // namespace dockgate::drivers

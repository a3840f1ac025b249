// SPDX-License-Identifier: Apache-2.0
// Wall-clock helper shared by drivers and the runtime; the pure core receives times instead.
#pragma once

#include <chrono>
#include <cstdint>

namespace dockgate {

/// Current UTC time in milliseconds since the Unix epoch.
inline std::int64_t now_utc_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace dockgate

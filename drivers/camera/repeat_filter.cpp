// SPDX-License-Identifier: Apache-2.0
#include "drivers/camera/repeat_filter.hpp"

namespace dockgate::drivers {

bool RepeatFilter::admit(const std::string& symbology_id, const std::string& text,
                         Clock::time_point now) {
  // Prune first so the map stays bounded by the codes of the last `window`.
  for (auto it = last_seen_.begin(); it != last_seen_.end();) {
    it = now - it->second > window_ ? last_seen_.erase(it) : std::next(it);
  }
  auto [it, inserted] = last_seen_.try_emplace({symbology_id, text}, now);
  if (inserted) return true;
  it->second = now;
  return false;
}

}  // namespace dockgate::drivers

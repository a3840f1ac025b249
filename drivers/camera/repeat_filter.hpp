// SPDX-License-Identifier: Apache-2.0
// Consecutive-frame deduplication for one camera: a label that stays in view is one read.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>

namespace dockgate::drivers {

/// Remembers when each (symbology id, text) was last seen. A code seen again within
/// `window` of its previous sighting is a repeat; every sighting refreshes the time, so a
/// label that stays in view across many frames is reported once.
class RepeatFilter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RepeatFilter(std::chrono::milliseconds window) : window_(window) {}

  /// True when the code is new (report it), false when it repeats. `now` must not go back.
  bool admit(const std::string& symbology_id, const std::string& text, Clock::time_point now);

  /// Number of codes remembered (entries older than `window` are pruned on admit()).
  [[nodiscard]] std::size_t size() const { return last_seen_.size(); }

 private:
  std::chrono::milliseconds window_;
  std::map<std::pair<std::string, std::string>, Clock::time_point> last_seen_;
};

}  // namespace dockgate::drivers

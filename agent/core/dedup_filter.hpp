// SPDX-License-Identifier: Apache-2.0
// Repeat-read suppression: the same code at the same location within `window` counts once.
// The window slides from the last time the code was seen, so a label held in front of a
// fixed-mount scanner that re-reads it ten times a second yields one event, not one per
// window. Scans of the same code at another door are never suppressed.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

namespace dockgate {

class DedupFilter {
 public:
  /// `window` 0 disables suppression.
  explicit DedupFilter(std::chrono::milliseconds window) : window_ms_(window.count()) {}

  /// True when this read repeats one seen at `location` less than `window` ago (and counts
  /// it); false when it is new (and remembers it). `time_ms` is UTC ms; a clock that steps
  /// back by less than the window still counts as a repeat.
  bool suppress(const std::string& location, const std::string& data, std::int64_t time_ms);

  [[nodiscard]] std::uint64_t suppressed_total() const { return suppressed_total_; }
  /// Suppressed reads per location id.
  [[nodiscard]] const std::map<std::string, std::uint64_t>& suppressed_by_location() const {
    return by_location_;
  }
  /// Codes currently remembered (bounded: entries older than the window are purged).
  [[nodiscard]] std::size_t remembered() const { return last_seen_.size(); }

 private:
  void purge(std::int64_t now_ms);

  std::int64_t window_ms_;
  std::unordered_map<std::string, std::int64_t> last_seen_;  // key: location + '\0' + data
  std::map<std::string, std::uint64_t> by_location_;
  std::uint64_t suppressed_total_ = 0;
  std::int64_t last_purge_ms_ = 0;
};

}  // namespace dockgate

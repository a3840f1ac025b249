// SPDX-License-Identifier: Apache-2.0
// Rate limit for exception events per (driver, kind): a serial scanner on the wrong baud rate
// sends line noise at thousands of lines a minute, and one exception per line would bury
// the timeline. The first `burst` per interval go out in full; the rest are counted (exactly)
// and summarised once per interval. Pure: the caller passes every time (UTC ms).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace dockgate {

/// Config `exception_limit:`.
struct ExceptionLimitSettings {
  std::uint32_t burst = 10;                    ///< full exceptions per driver+kind per interval
  std::chrono::milliseconds interval{60'000};  ///< window length; > 0
};

/// One closed window that suppressed something: becomes an `exceptions_suppressed` event.
struct SuppressedSummary {
  std::string driver_id;
  std::string location_id;
  std::string kind;                  ///< the suppressed exception type, e.g. "invalid_barcode"
  std::uint64_t suppressed = 0;      ///< exact count not published in full
  std::uint64_t published = 0;       ///< published in full in the same window (= burst)
  std::int64_t window_start_ms = 0;  ///< UTC ms of the window's first exception
  std::int64_t window_end_ms = 0;    ///< window_start_ms + interval
  std::string sample;                ///< raw bytes of the first suppressed one
  std::string sample_reason;         ///< its reason text
};

/// A driver whose exceptions are being suppressed (status: `babbling`).
struct BabblingState {
  std::int64_t since_ms = 0;      ///< first suppressed exception
  std::uint64_t suppressed = 0;   ///< suppressed since then, all kinds
  std::int64_t last_seen_ms = 0;  ///< latest exception of the driver, any kind
};

class ExceptionLimiter {
 public:
  explicit ExceptionLimiter(ExceptionLimitSettings settings) : settings_(settings) {}

  /// One exception at `time_ms`: true = publish it in full; false = counted for the summary.
  bool admit(const std::string& driver_id, const std::string& location_id, const std::string& kind,
             std::int64_t time_ms, const std::string& raw, const std::string& reason);
  /// Closes the windows that ended at or before `now_ms` and returns their summaries (only
  /// windows that suppressed something), oldest first. Clears the babbling state of a driver
  /// with no exception for a whole interval. Call about once a second.
  std::vector<SuppressedSummary> tick(std::int64_t now_ms);

  /// New settings apply to windows opened from now on (config reload).
  void set_settings(ExceptionLimitSettings settings) { settings_ = settings; }

  /// Drivers currently babbling, by driver id.
  [[nodiscard]] const std::map<std::string, BabblingState>& babbling() const { return babbling_; }
  /// Grows whenever babbling() changes (for cheap status snapshots).
  [[nodiscard]] std::uint64_t changes() const { return changes_; }

 private:
  struct Window {
    SuppressedSummary summary;
  };
  void close(Window& w, std::vector<SuppressedSummary>& out);

  ExceptionLimitSettings settings_;
  std::map<std::pair<std::string, std::string>, Window> windows_;  ///< (driver, kind)
  std::vector<SuppressedSummary> closed_;  ///< closed by admit(), handed out by tick()
  std::map<std::string, BabblingState> babbling_;
  std::uint64_t changes_ = 0;
};

}  // namespace dockgate

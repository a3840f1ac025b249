// SPDX-License-Identifier: Apache-2.0
// Turns a keyboard-wedge scanner's key events into scans: KeyDecoder for characters, then the
// shared LineFramer (Enter = end of frame) for AIM prefix, gs_substitute and max_frame_bytes.
// Pure: no I/O; the caller passes each event and the time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "drivers/framing/line_framer.hpp"
#include "drivers/hid_scanner/key_decoder.hpp"

namespace dockgate::drivers {

/// One scanner's frame assembly. Memory is bounded by max_frame_bytes.
class KeystrokeFramer {
 public:
  KeystrokeFramer(KeyboardLayout layout, FramingOptions framing);

  /// Feeds one input_event (type EV_*, code KEY_*, value 0/1/2) received at `now_ms` (UTC
  /// ms) and appends what it completes to `out`. On Enter the frame goes out as a ScanRead
  /// (or a LineFramer ReadError: frame_too_long, missing_symbology_identifier, empty_data).
  /// A frame in which a key press could not be decoded is not a scan (a missing character
  /// would corrupt GS1 data): it becomes one ReadError "unknown_key" naming the first key
  /// code, with the decoded characters (up to kErrorSampleBytes) as data. A frame during
  /// which the kernel reported lost events (EV_SYN/SYN_DROPPED) becomes one ReadError
  /// "events_dropped" the same way.
  void feed(std::uint16_t type, std::uint16_t code, std::int32_t value, std::int64_t now_ms,
            std::vector<FramerOutput>& out);

  /// Drops a partial frame and the modifier state (device reopened).
  void reset();

  /// Key presses that could not be decoded since construction (for logs and diagnostics).
  [[nodiscard]] std::uint64_t unknown_keys() const { return unknown_keys_; }

 private:
  KeyDecoder decoder_;
  LineFramer framer_;
  std::string sample_;  ///< first kErrorSampleBytes of the frame in progress
  std::uint16_t first_unknown_ = 0;
  std::uint32_t unknown_in_frame_ = 0;
  bool dropped_in_frame_ = false;  ///< SYN_DROPPED seen since the last Enter
  std::uint64_t unknown_keys_ = 0;
};

}  // namespace dockgate::drivers

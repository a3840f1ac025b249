// SPDX-License-Identifier: Apache-2.0
// Splits a scanner byte stream into frames ended by CR, LF or CRLF. Pure: no I/O, no clock
// of its own (the caller passes the time), so every edge case is unit-testable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "agent/scan_read.hpp"
#include "drivers/framing/framing_options.hpp"

namespace dockgate::drivers {

/// One framer result. driver_id / location_id are left empty: the driver fills them in.
using FramerOutput = std::variant<ScanRead, ReadError>;

/// How many leading bytes of an over-long frame a "frame_too_long" ReadError carries.
inline constexpr std::size_t kErrorSampleBytes = 128;

/// Stateful line framer for one byte stream (one serial port, one TCP connection).
/// Memory is bounded by FramingOptions::max_frame_bytes whatever the input.
class LineFramer {
 public:
  explicit LineFramer(FramingOptions options);

  /// Feeds the next chunk (any size, any split, binary bytes allowed) and appends what it
  /// completes to `out`, in stream order:
  /// - ScanRead: data without terminator and AIM prefix (moved to symbology_id), with
  ///   gs_substitute replaced by 0x1D; time_ms = `now_ms` (UTC ms, the chunk's arrival).
  /// - ReadError kinds: "frame_too_long" (reported as soon as the frame passes
  ///   max_frame_bytes; data = its first bytes as received up to then, at least
  ///   max_frame_bytes + 1 and at most kErrorSampleBytes; the rest up to the next CR/LF is
  ///   skipped), "missing_symbology_identifier" (aim_prefix required;
  ///   data = the frame), "empty_data" (an AIM identifier with nothing after it).
  /// Empty lines (CRLF, LFCR, CRCR, ...) produce nothing, so a CRLF split across two
  /// chunks does not yield an empty frame.
  void feed(std::string_view bytes, std::int64_t now_ms, std::vector<FramerOutput>& out);

  /// Drops a partial frame (call when the stream restarts: reopen, reconnect).
  void reset();

  /// Bytes held for the frame in progress (0 while skipping an over-long frame).
  [[nodiscard]] std::size_t pending_bytes() const { return pending_.size(); }

 private:
  void append(std::string_view piece, std::int64_t now_ms, std::vector<FramerOutput>& out);
  void finish_frame(std::int64_t now_ms, std::vector<FramerOutput>& out);

  FramingOptions options_;
  std::string pending_;
  bool skipping_ = false;  ///< inside an over-long frame: drop bytes until CR/LF
};

/// True when `frame` starts with an AIM symbology identifier: "]", an ASCII letter (the
/// code character) and an ASCII letter or digit (the modifier), ISO/IEC 15424 section 4.
bool starts_with_aim_identifier(std::string_view frame);

}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
// Framing keys shared by every line-oriented scanner driver (serial, TCP):
//   max_frame_bytes, aim_prefix, gs_substitute.
#pragma once

#include <cstddef>
#include <string>

#include "config/map_reader.hpp"

namespace dockgate::drivers {

/// How a leading AIM symbology identifier (ISO/IEC 15424: "]" + code character + modifier,
/// e.g. "]C1", "]d2", "]Q3") is treated.
enum class AimPrefix {
  automatic,  ///< `auto`: strip it into ScanRead::symbology_id when present
  required,   ///< `required`: a frame without one is a ReadError "missing_symbology_identifier"
  none,       ///< `none`: never strip; the whole frame is data
};

/// Settings of one LineFramer.
struct FramingOptions {
  /// Longest frame in bytes, terminator excluded. Longer input is a "frame_too_long" error.
  std::size_t max_frame_bytes = 4096;
  AimPrefix aim_prefix = AimPrefix::automatic;
  /// Text some scanners send in place of GS (0x1D, GS1 FNC1), e.g. "~" or "<GS>".
  /// Every occurrence in the data is replaced by 0x1D. Empty: no substitution.
  std::string gs_substitute;
};

/// Smallest and largest accepted `max_frame_bytes`.
inline constexpr std::size_t kMinFrameBytes = 16;
inline constexpr std::size_t kMaxFrameBytes = std::size_t{1024} * 1024;
/// Longest accepted `gs_substitute`, in bytes.
inline constexpr std::size_t kMaxGsSubstituteBytes = 16;

/// Declares and reads the three framing keys from a driver's mapping into `out` (which holds
/// the defaults). Bad values are recorded in the reader's ConfigErrors; `out` keeps the
/// default for them. Returns false when any of the keys was invalid.
bool read_framing_options(config::MapReader& keys, FramingOptions& out);

/// "auto", "required" or "none".
const char* to_string(AimPrefix prefix);

}  // namespace dockgate::drivers

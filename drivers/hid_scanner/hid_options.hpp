// SPDX-License-Identifier: Apache-2.0
// Settings of a `type: hid_scanner` driver (USB keyboard-wedge scanner) and their config keys.
#pragma once

#include <chrono>
#include <string>

#include "config/map_reader.hpp"
#include "drivers/framing/framing_options.hpp"
#include "drivers/hid_scanner/key_decoder.hpp"

namespace dockgate::drivers {

/// One keyboard-wedge scanner read through the Linux evdev interface.
struct HidOptions {
  /// e.g. /dev/input/by-id/usb-Honeywell_Imaging_1900-event-kbd. A FIFO path is accepted
  /// too (replay / test mode: recorded struct input_event records, no grab).
  std::string device;
  KeyboardLayout layout = KeyboardLayout::us;  ///< the layout the scanner is set to type for
  /// Exclusive access (EVIOCGRAB) so scans do not also reach the console or a desktop.
  bool grab = true;
  FramingOptions framing;                        ///< max_frame_bytes, aim_prefix, gs_substitute
  std::chrono::milliseconds reopen_min{500};     ///< first retry delay after a failed open
  std::chrono::milliseconds reopen_max{30'000};  ///< cap of the doubling retry delay
};

/// Reads the driver's keys (device, layout, grab, framing keys, reopen_min, reopen_max) into
/// `out`; errors go to the reader's context with file/line/column/key path. Returns false
/// when any key was missing or invalid.
bool read_hid_options(config::MapReader& keys, HidOptions& out);

}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
// Test helpers for hid_scanner: recorded keyboard-wedge scans as struct input_event records,
// the way a US- or German-layout scanner types them (press, SYN, release, SYN per key).
#pragma once

#include <linux/input.h>

#include <cstdint>
#include <string>
#include <vector>

namespace dockgate::drivers::test {

/// One key stroke: a KEY_* code and the modifiers held while it is pressed.
struct Stroke {
  std::uint16_t code;
  bool shift = false;
  bool ctrl = false;
  bool altgr = false;
};

/// Press/release events (with EV_MSC scan code and EV_SYN like a real keyboard) for
/// `strokes`, modifiers pressed before and released after each key.
std::vector<input_event> key_events(const std::vector<Stroke>& strokes);

/// Strokes typing `text` on a US layout: digits, letters, "]", "~", space; "\x1d" becomes
/// Ctrl+], "\n" becomes Enter. Throws std::invalid_argument for other characters.
std::vector<Stroke> us_strokes(const std::string& text);

/// The raw bytes of `events`, as read(2) returns them from an evdev device.
std::string to_bytes(const std::vector<input_event>& events);

}  // namespace dockgate::drivers::test

// SPDX-License-Identifier: Apache-2.0
// Turns Linux evdev key events (linux/input-event-codes.h) from a USB keyboard-wedge barcode
// scanner into characters, with the host keyboard layout the scanner was configured for.
// Pure: no I/O, so every layout and modifier case is unit-testable.
#pragma once

#include <cstdint>
#include <string_view>

namespace dockgate::drivers {

/// Host keyboard layout the scanner "types" for (set the same one in the scanner's menu).
enum class KeyboardLayout {
  us,  ///< US QWERTY
  de,  ///< German QWERTZ (T1), AltGr for @ { [ ] } \ ~ |
};

/// What one event means for the scan in progress.
struct KeyResult {
  enum class Kind {
    none,     ///< nothing to add: release, repeat, modifier, EV_SYN/EV_MSC, ...
    text,     ///< `text` holds the character (ASCII, or UTF-8 for e.g. de umlauts)
    enter,    ///< Enter or keypad Enter: the scan is complete
    unknown,  ///< a key press this layout does not map; `code` is its KEY_* code
  };
  Kind kind = Kind::none;
  std::string_view text;  ///< points into static tables; valid for the program's lifetime
  std::uint16_t code = 0;
};

/// Decodes one keyboard's event stream. Tracks Shift, Ctrl and AltGr (right Alt) from press
/// (value 1) and release (value 0) events; auto-repeat (value 2) is ignored, as a scanner
/// never holds a key. Caps Lock / Num Lock are ignored (scanners send explicit Shift; the
/// keypad is taken as digits). Ctrl + the key right of P (KEY_RIGHTBRACE: "]" on us, "+" on
/// de) gives GS (0x1D), the GS1 FNC1 separator scanners send as "Ctrl+]".
class KeyDecoder {
 public:
  explicit KeyDecoder(KeyboardLayout layout);

  /// One input_event's type (EV_*), code (KEY_*) and value (0 release, 1 press, 2 repeat).
  KeyResult feed(std::uint16_t type, std::uint16_t code, std::int32_t value);

  /// Forgets modifier state (call when the device is reopened).
  void reset();

 private:
  KeyboardLayout layout_;
  bool left_shift_ = false;
  bool right_shift_ = false;
  bool left_ctrl_ = false;
  bool right_ctrl_ = false;
  bool altgr_ = false;
  bool left_alt_ = false;
};

/// "us" or "de".
const char* to_string(KeyboardLayout layout);

}  // namespace dockgate::drivers

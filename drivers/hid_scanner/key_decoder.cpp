// SPDX-License-Identifier: Apache-2.0
#include "drivers/hid_scanner/key_decoder.hpp"

#include <linux/input-event-codes.h>

#include <array>

namespace dockgate::drivers {
namespace {

// One key of a layout: what it types plain, with Shift, and with AltGr. nullptr = nothing
// (dead keys such as de "^" and "´" are left unmapped: they only compose with the next key,
// and no GS1 character needs them).
struct KeyEntry {
  const char* plain = nullptr;
  const char* shift = nullptr;
  const char* altgr = nullptr;
};

// Indexed by KEY_* code; covers every code up to KEY_KPSLASH (98).
using KeyTable = std::array<KeyEntry, KEY_KPSLASH + 1>;

void set(KeyTable& t, int code, const char* plain, const char* shift, const char* altgr = nullptr) {
  t[static_cast<std::size_t>(code)] = KeyEntry{plain, shift, altgr};
}

// Keys that are the same on us and de: letters common to both rows, space, tab, keypad.
void set_common(KeyTable& t) {
  static constexpr const char* kLower[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i",
                                           "j", "k", "l", "m", "n", "o", "p", "q", "r",
                                           "s", "t", "u", "v", "w", "x", "y", "z"};
  static constexpr const char* kUpper[] = {"A", "B", "C", "D", "E", "F", "G", "H", "I",
                                           "J", "K", "L", "M", "N", "O", "P", "Q", "R",
                                           "S", "T", "U", "V", "W", "X", "Y", "Z"};
  // Key codes of the letters a..z on a US keyboard (the de differences are patched after).
  static constexpr int kLetterKeys[] = {
      KEY_A, KEY_B, KEY_C, KEY_D, KEY_E, KEY_F, KEY_G, KEY_H, KEY_I, KEY_J, KEY_K, KEY_L, KEY_M,
      KEY_N, KEY_O, KEY_P, KEY_Q, KEY_R, KEY_S, KEY_T, KEY_U, KEY_V, KEY_W, KEY_X, KEY_Y, KEY_Z};
  for (std::size_t i = 0; i < 26; ++i) set(t, kLetterKeys[i], kLower[i], kUpper[i]);
  set(t, KEY_SPACE, " ", " ");
  set(t, KEY_TAB, "\t", "\t");
  // Keypad with Num Lock on: scanners in "keypad" mode send digits here.
  set(t, KEY_KP0, "0", "0");
  set(t, KEY_KP1, "1", "1");
  set(t, KEY_KP2, "2", "2");
  set(t, KEY_KP3, "3", "3");
  set(t, KEY_KP4, "4", "4");
  set(t, KEY_KP5, "5", "5");
  set(t, KEY_KP6, "6", "6");
  set(t, KEY_KP7, "7", "7");
  set(t, KEY_KP8, "8", "8");
  set(t, KEY_KP9, "9", "9");
  set(t, KEY_KPASTERISK, "*", "*");
  set(t, KEY_KPMINUS, "-", "-");
  set(t, KEY_KPPLUS, "+", "+");
  set(t, KEY_KPSLASH, "/", "/");
}

KeyTable make_us() {
  KeyTable t{};
  set_common(t);
  set(t, KEY_1, "1", "!");
  set(t, KEY_2, "2", "@");
  set(t, KEY_3, "3", "#");
  set(t, KEY_4, "4", "$");
  set(t, KEY_5, "5", "%");
  set(t, KEY_6, "6", "^");
  set(t, KEY_7, "7", "&");
  set(t, KEY_8, "8", "*");
  set(t, KEY_9, "9", "(");
  set(t, KEY_0, "0", ")");
  set(t, KEY_MINUS, "-", "_");
  set(t, KEY_EQUAL, "=", "+");
  set(t, KEY_LEFTBRACE, "[", "{");
  set(t, KEY_RIGHTBRACE, "]", "}");
  set(t, KEY_SEMICOLON, ";", ":");
  set(t, KEY_APOSTROPHE, "'", "\"");
  set(t, KEY_GRAVE, "`", "~");
  set(t, KEY_BACKSLASH, "\\", "|");
  set(t, KEY_102ND, "\\", "|");
  set(t, KEY_COMMA, ",", "<");
  set(t, KEY_DOT, ".", ">");
  set(t, KEY_SLASH, "/", "?");
  set(t, KEY_KPDOT, ".", ".");
  return t;
}

// German T1 (the Linux/Windows default "de"). Non-ASCII characters are UTF-8.
KeyTable make_de() {
  KeyTable t{};
  set_common(t);
  set(t, KEY_Y, "z", "Z");  // QWERTZ: Y and Z swap places
  set(t, KEY_Z, "y", "Y");
  set(t, KEY_1, "1", "!");
  set(t, KEY_2, "2", "\"", "\xC2\xB2");        // ²
  set(t, KEY_3, "3", "\xC2\xA7", "\xC2\xB3");  // § ³
  set(t, KEY_4, "4", "$");
  set(t, KEY_5, "5", "%");
  set(t, KEY_6, "6", "&");
  set(t, KEY_7, "7", "/", "{");
  set(t, KEY_8, "8", "(", "[");
  set(t, KEY_9, "9", ")", "]");
  set(t, KEY_0, "0", "=", "}");
  set(t, KEY_MINUS, "\xC3\x9F", "?", "\\");  // ß
  set(t, KEY_Q, "q", "Q", "@");
  set(t, KEY_E, "e", "E", "\xE2\x82\xAC");        // €
  set(t, KEY_M, "m", "M", "\xC2\xB5");            // µ
  set(t, KEY_LEFTBRACE, "\xC3\xBC", "\xC3\x9C");  // ü Ü
  set(t, KEY_RIGHTBRACE, "+", "*", "~");
  set(t, KEY_SEMICOLON, "\xC3\xB6", "\xC3\x96");   // ö Ö
  set(t, KEY_APOSTROPHE, "\xC3\xA4", "\xC3\x84");  // ä Ä
  set(t, KEY_BACKSLASH, "#", "'");
  set(t, KEY_102ND, "<", ">", "|");
  set(t, KEY_COMMA, ",", ";");
  set(t, KEY_DOT, ".", ":");
  set(t, KEY_SLASH, "-", "_");
  set(t, KEY_KPDOT, ",", ",");  // the German keypad has a decimal comma
  return t;
}

const KeyTable& table_for(KeyboardLayout layout) {
  static const KeyTable us = make_us();
  static const KeyTable de = make_de();
  return layout == KeyboardLayout::de ? de : us;
}

constexpr std::string_view kGroupSeparator = "\x1d";

}  // namespace

KeyDecoder::KeyDecoder(KeyboardLayout layout) : layout_(layout) {}

void KeyDecoder::reset() {
  left_shift_ = right_shift_ = left_ctrl_ = right_ctrl_ = altgr_ = left_alt_ = false;
}

KeyResult KeyDecoder::feed(std::uint16_t type, std::uint16_t code, std::int32_t value) {
  if (type != EV_KEY || value == 2) return {};
  const bool down = value != 0;
  switch (code) {
    case KEY_LEFTSHIFT:
      left_shift_ = down;
      return {};
    case KEY_RIGHTSHIFT:
      right_shift_ = down;
      return {};
    case KEY_LEFTCTRL:
      left_ctrl_ = down;
      return {};
    case KEY_RIGHTCTRL:
      right_ctrl_ = down;
      return {};
    case KEY_RIGHTALT:
      altgr_ = down;
      return {};
    case KEY_LEFTALT:
      left_alt_ = down;
      return {};
    case KEY_CAPSLOCK:
    case KEY_NUMLOCK:
    case KEY_SCROLLLOCK:
    case KEY_LEFTMETA:
    case KEY_RIGHTMETA:
      return {};
    default:
      break;
  }
  if (!down) return {};
  if (code == KEY_ENTER || code == KEY_KPENTER) return {KeyResult::Kind::enter, {}, code};
  const bool ctrl = left_ctrl_ || right_ctrl_;
  if (ctrl) {
    // Ctrl+] is how keyboard-wedge scanners type GS; the key is the same physical one on
    // every layout (KEY_RIGHTBRACE), which is what the scanner actually sends.
    if (code == KEY_RIGHTBRACE && !altgr_ && !left_alt_) {
      return {KeyResult::Kind::text, kGroupSeparator, code};
    }
    return {KeyResult::Kind::unknown, {}, code};
  }
  if (left_alt_) return {KeyResult::Kind::unknown, {}, code};
  const auto& table = table_for(layout_);
  if (code >= table.size()) return {KeyResult::Kind::unknown, {}, code};
  const KeyEntry& entry = table[code];
  const char* text = altgr_                          ? entry.altgr
                     : (left_shift_ || right_shift_) ? entry.shift
                                                     : entry.plain;
  if (text == nullptr) return {KeyResult::Kind::unknown, {}, code};
  return {KeyResult::Kind::text, text, code};
}

const char* to_string(KeyboardLayout layout) {
  return layout == KeyboardLayout::de ? "de" : "us";
}

}  // namespace dockgate::drivers

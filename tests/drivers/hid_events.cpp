// SPDX-License-Identifier: Apache-2.0
#include "hid_events.hpp"

#include <cstring>
#include <stdexcept>

namespace dockgate::drivers::test {
namespace {

void push(std::vector<input_event>& out, std::uint16_t type, std::uint16_t code,
          std::int32_t value) {
  input_event e{};
  e.type = type;
  e.code = code;
  e.value = value;
  out.push_back(e);
}

void key(std::vector<input_event>& out, std::uint16_t code, std::int32_t value) {
  push(out, EV_MSC, MSC_SCAN, 0x70000 + code);  // what a USB keyboard sends before EV_KEY
  push(out, EV_KEY, code, value);
  push(out, EV_SYN, SYN_REPORT, 0);
}

}  // namespace

std::vector<input_event> key_events(const std::vector<Stroke>& strokes) {
  std::vector<input_event> out;
  for (const auto& s : strokes) {
    if (s.ctrl) key(out, KEY_LEFTCTRL, 1);
    if (s.shift) key(out, KEY_LEFTSHIFT, 1);
    if (s.altgr) key(out, KEY_RIGHTALT, 1);
    key(out, s.code, 1);
    key(out, s.code, 0);
    if (s.altgr) key(out, KEY_RIGHTALT, 0);
    if (s.shift) key(out, KEY_LEFTSHIFT, 0);
    if (s.ctrl) key(out, KEY_LEFTCTRL, 0);
  }
  return out;
}

std::vector<Stroke> us_strokes(const std::string& text) {
  static constexpr std::uint16_t kDigits[] = {KEY_0, KEY_1, KEY_2, KEY_3, KEY_4,
                                              KEY_5, KEY_6, KEY_7, KEY_8, KEY_9};
  static constexpr std::uint16_t kLetters[] = {
      KEY_A, KEY_B, KEY_C, KEY_D, KEY_E, KEY_F, KEY_G, KEY_H, KEY_I, KEY_J, KEY_K, KEY_L, KEY_M,
      KEY_N, KEY_O, KEY_P, KEY_Q, KEY_R, KEY_S, KEY_T, KEY_U, KEY_V, KEY_W, KEY_X, KEY_Y, KEY_Z};
  std::vector<Stroke> out;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      out.push_back({kDigits[c - '0']});
    } else if (c >= 'a' && c <= 'z') {
      out.push_back({kLetters[c - 'a']});
    } else if (c >= 'A' && c <= 'Z') {
      out.push_back({kLetters[c - 'A'], true});
    } else if (c == ']') {
      out.push_back({KEY_RIGHTBRACE});
    } else if (c == '~') {
      out.push_back({KEY_GRAVE, true});
    } else if (c == ' ') {
      out.push_back({KEY_SPACE});
    } else if (c == '\x1d') {
      out.push_back({KEY_RIGHTBRACE, false, true});
    } else if (c == '\n') {
      out.push_back({KEY_ENTER});
    } else {
      throw std::invalid_argument(std::string("us_strokes: no stroke for '") + c + "'");
    }
  }
  return out;
}

std::string to_bytes(const std::vector<input_event>& events) {
  std::string out(events.size() * sizeof(input_event), '\0');
  if (!events.empty()) std::memcpy(out.data(), events.data(), out.size());
  return out;
}

}  // namespace dockgate::drivers::test

// SPDX-License-Identifier: Apache-2.0
// Hex <-> bytes for the LLRP tests (spaces in the hex are ignored).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dockgate::test {

/// "0403 0000" -> {0x04, 0x03, 0x00, 0x00}; spaces skipped.
inline std::vector<std::uint8_t> from_hex(std::string_view hex) {
  std::vector<std::uint8_t> out;
  int hi = -1;
  for (const char c : hex) {
    if (c == ' ') continue;
    const int v = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(hi * 16 + v));
      hi = -1;
    }
  }
  return out;
}

/// Lower-case hex of `bytes`, no spaces.
inline std::string to_hex(const std::vector<std::uint8_t>& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const std::uint8_t b : bytes) {
    out += kDigits[b >> 4U];
    out += kDigits[b & 0x0FU];
  }
  return out;
}

}  // namespace dockgate::test

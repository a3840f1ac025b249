// SPDX-License-Identifier: Apache-2.0
// Bit fields of EPC binary encodings. TDS 1.13 section 14.4 (14.4.1 Integer and
// 14.4.2 String decoding methods) and Table A-1 (GS1 AI encodable character set 82).
#include "agent/epc/bits.hpp"

#include <cstdio>
#include <string_view>

namespace dockgate::epc::detail {
namespace {

// Table A-1: the 82 characters a GS1 AI value may hold (letters, digits and these).
bool cset82(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!\"%&'()*+,-./:;<=>?_").find(c) != std::string_view::npos;
}

}  // namespace

bool BitReader::bit(std::size_t index) const {
  return ((bytes_[index / 8] >> (7 - index % 8)) & 1U) != 0;
}

std::uint64_t BitReader::read(std::size_t width) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    value = (value << 1U) | (bit(pos_ + i) ? 1U : 0U);
  }
  pos_ += width;
  return value;
}

bool BitReader::read_string(std::size_t width, std::string& out, std::string& error) {
  const std::size_t end = pos_ + width;
  bool ended = false;
  while (pos_ + 7 <= end) {
    const auto c = static_cast<char>(read(7));
    if (c == 0) {
      ended = true;
      continue;
    }
    if (ended) {
      error = "non-zero character after the end of the string";
      return false;
    }
    if (!cset82(c)) {
      char hex[64];
      std::snprintf(hex, sizeof(hex), "character 0x%02X is not in GS1 character set 82",
                    static_cast<unsigned>(c));
      error = hex;
      return false;
    }
    out += c;
  }
  // Bits of a partial last character (e.g. 148 % 7 = 1 for GIAI-202) must be zero.
  if (read(end - pos_) != 0) {
    error = "non-zero padding after the string";
    return false;
  }
  return true;
}

bool BitReader::rest_is_zero() const {
  for (std::size_t i = pos_; i < bits_; ++i) {
    if (bit(i)) return false;
  }
  return true;
}

}  // namespace dockgate::epc::detail

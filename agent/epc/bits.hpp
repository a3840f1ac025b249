// SPDX-License-Identifier: Apache-2.0
// Internal: reading fields of an EPC binary encoding, most significant bit first (not
// public API). Source: TDS 1.13 section 14.4 (14.4.1 Integer and 14.4.2 String decoding
// methods).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace dockgate::epc::detail {

/// Reads bit fields from a byte span holding `bit_count` valid bits.
class BitReader {
 public:
  BitReader(std::span<const std::uint8_t> bytes, std::size_t bit_count)
      : bytes_(bytes), bits_(bit_count) {}

  /// Bits not yet read.
  [[nodiscard]] std::size_t remaining() const { return bits_ - pos_; }

  /// The next `width` bits (0..64) as an unsigned integer. Caller checks remaining().
  std::uint64_t read(std::size_t width);

  /// A 7-bit character string of `width` bits (TDS 14.4.2): characters until the first
  /// all-zero one; every bit after it must be zero. Each character must be in the GS1
  /// AI encodable character set 82. Returns false with `error` set otherwise.
  bool read_string(std::size_t width, std::string& out, std::string& error);

  /// True when every bit not yet read is zero.
  [[nodiscard]] bool rest_is_zero() const;

 private:
  [[nodiscard]] bool bit(std::size_t index) const;
  std::span<const std::uint8_t> bytes_;
  std::size_t bits_;
  std::size_t pos_ = 0;
};

}  // namespace dockgate::epc::detail

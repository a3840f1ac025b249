// SPDX-License-Identifier: Apache-2.0
// Big-endian byte writer and bounded parameter reader shared by the LLRP encoders and
// decoders (LLRP 1.0.1 section 16.2.1: TLV and TV parameter encoding). Internal to
// drivers/llrp; never throws: every read past the bound sets an error instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dockgate::drivers::llrp {

using Bytes = std::vector<std::uint8_t>;

/// Appends big-endian fields; begin_tlv()/end_tlv() and begin_message()/end_message() patch
/// the length once the content is written.
class ByteWriter {
 public:
  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v);
  void u32(std::uint32_t v);
  /// Starts a TLV parameter of `type` (128-2047); returns its offset for end_tlv().
  std::size_t begin_tlv(std::uint16_t type);
  void end_tlv(std::size_t at);
  /// Starts a message header (version 1, `type`, `id`); end_message() sets the length.
  void begin_message(std::uint16_t type, std::uint32_t id);
  Bytes end_message();

 private:
  Bytes out_;
};

/// One parameter found by ParamReader::next(): TV (1-127, fixed size) or TLV (128-2047).
struct Param {
  bool tv = false;
  std::uint16_t type = 0;
  std::span<const std::uint8_t> value;  ///< bytes after the 1-byte TV / 4-byte TLV header
};

/// Walks the parameters in `data` (a message body or a TLV's value). next() returns false at
/// the end or on an error (error() non-empty): TLV length < 4 or past the parent's bytes,
/// TV type not in LLRP 1.0.1 Table 5 (a TV has no length, so the rest cannot be read).
class ParamReader {
 public:
  explicit ParamReader(std::span<const std::uint8_t> data) : data_(data) {}
  bool next(Param& param);
  [[nodiscard]] const std::string& error() const { return error_; }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
  std::string error_;
};

/// Big-endian reads from a value with a bound check: ok() turns false on the first read
/// past the end, and every later read returns 0.
class FieldReader {
 public:
  explicit FieldReader(std::span<const std::uint8_t> data) : data_(data) {}
  std::uint8_t u8();
  std::uint16_t u16();
  std::uint32_t u32();
  std::uint64_t u64();
  /// The next `n` bytes, or an empty span (and !ok()) when fewer remain.
  std::span<const std::uint8_t> bytes(std::size_t n);
  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] std::size_t remaining() const { return data_.size() - pos_; }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

/// Total size in bytes of a TV parameter of `type` (LLRP 1.0.1 Table 5), 0 when unknown.
std::size_t tv_size(std::uint16_t type);

}  // namespace dockgate::drivers::llrp

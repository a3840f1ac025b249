// SPDX-License-Identifier: Apache-2.0
#include "drivers/llrp/llrp_bytes.hpp"

#include "drivers/llrp/llrp_frame.hpp"

namespace dockgate::drivers::llrp {

void ByteWriter::u16(std::uint16_t v) {
  out_.push_back(static_cast<std::uint8_t>(v >> 8U));
  out_.push_back(static_cast<std::uint8_t>(v));
}

void ByteWriter::u32(std::uint32_t v) {
  u16(static_cast<std::uint16_t>(v >> 16U));
  u16(static_cast<std::uint16_t>(v));
}

std::size_t ByteWriter::begin_tlv(std::uint16_t type) {
  const std::size_t at = out_.size();
  u16(static_cast<std::uint16_t>(type & 0x03FFU));
  u16(0);
  return at;
}

void ByteWriter::end_tlv(std::size_t at) {
  const std::size_t length = out_.size() - at;
  out_[at + 2] = static_cast<std::uint8_t>(length >> 8U);
  out_[at + 3] = static_cast<std::uint8_t>(length);
}

void ByteWriter::begin_message(std::uint16_t type, std::uint32_t id) {
  out_.clear();
  u16(static_cast<std::uint16_t>(0x0400U | (type & 0x03FFU)));  // rsvd 0, version 1
  u32(0);
  u32(id);
}

Bytes ByteWriter::end_message() {
  const auto length = static_cast<std::uint32_t>(out_.size());
  for (int i = 0; i < 4; ++i) {
    out_[2 + i] = static_cast<std::uint8_t>(length >> (24U - 8U * static_cast<unsigned>(i)));
  }
  return std::move(out_);
}

std::size_t tv_size(std::uint16_t type) {
  switch (type) {
    case 1:
    case 7:
    case 8:
    case 10:
    case 11:
    case 12:
    case 14:
    case 15:
    case 17:
      return 3;
    case 2:
    case 3:
    case 4:
    case 5:
      return 9;
    case 6:
      return 2;
    case 9:
    case 16:
    case 18:
      return 5;
    case 13:
      return 13;
    default:
      return 0;
  }
}

bool ParamReader::next(Param& param) {
  if (!error_.empty() || pos_ >= data_.size()) return false;
  const std::size_t left = data_.size() - pos_;
  if ((data_[pos_] & 0x80U) != 0) {
    param.tv = true;
    param.type = data_[pos_] & 0x7FU;
    const std::size_t size = tv_size(param.type);
    if (size == 0) {
      error_ = "unknown TV parameter type " + std::to_string(param.type) +
               " (a TV has no length: the rest of the message was not read)";
      return false;
    }
    if (size > left) {
      error_ = "TV parameter type " + std::to_string(param.type) + " needs " +
               std::to_string(size) + " bytes, " + std::to_string(left) + " left";
      return false;
    }
    param.value = data_.subspan(pos_ + 1, size - 1);
    pos_ += size;
    return true;
  }
  if (left < 4) {
    error_ = std::to_string(left) + " stray bytes where a TLV parameter header (4) should be";
    return false;
  }
  param.tv = false;
  param.type = static_cast<std::uint16_t>(((data_[pos_] & 0x03U) << 8U) | data_[pos_ + 1]);
  const std::size_t length = (std::size_t{data_[pos_ + 2]} << 8U) | data_[pos_ + 3];
  if (length < 4 || length > left) {
    error_ = "TLV parameter type " + std::to_string(param.type) + " claims " +
             std::to_string(length) + " bytes, " + std::to_string(left) +
             " left in its parent (minimum 4)";
    return false;
  }
  param.value = data_.subspan(pos_ + 4, length - 4);
  pos_ += length;
  return true;
}

std::uint8_t FieldReader::u8() {
  const auto b = bytes(1);
  return b.empty() ? 0 : b[0];
}

std::uint16_t FieldReader::u16() {
  const auto b = bytes(2);
  return b.empty() ? 0 : static_cast<std::uint16_t>((b[0] << 8U) | b[1]);
}

std::uint32_t FieldReader::u32() {
  const std::uint32_t hi = u16();
  return (hi << 16U) | u16();
}

std::uint64_t FieldReader::u64() {
  const std::uint64_t hi = u32();
  return (hi << 32U) | u32();
}

std::span<const std::uint8_t> FieldReader::bytes(std::size_t n) {
  if (!ok_ || n > data_.size() - pos_) {
    ok_ = false;
    return {};
  }
  const auto out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

}  // namespace dockgate::drivers::llrp

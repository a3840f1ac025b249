// SPDX-License-Identifier: Apache-2.0
#include "drivers/llrp/llrp_frame.hpp"

namespace dockgate::drivers::llrp {

FrameCheck check_frame(std::span<const std::uint8_t> buffer, std::uint32_t max_bytes) {
  FrameCheck out;
  // Byte 0 = rsvd:3 ver:3 type(high 2 bits): the version is known from the first byte, so a
  // non-LLRP peer (sllurp#200) is rejected before it fills the buffer.
  if (buffer.empty()) return out;
  const unsigned version = (buffer[0] >> 2U) & 0x07U;
  if ((buffer[0] & 0xE0U) != 0) {
    // Reserved bits are 0 in every LLRP message; 0xA5 (sllurp#200) would pass as version 1.
    out.state = FrameState::invalid;
    out.error = "not an LLRP message: reserved header bits set (first byte " +
                std::to_string(buffer[0]) + ")";
    return out;
  }
  if (version != 1) {
    out.state = FrameState::invalid;
    out.error = "not an LLRP 1.0.1 message: version " + std::to_string(version) +
                " in the header (expected 1)";
    return out;
  }
  if (buffer.size() < 6) return out;
  const std::uint32_t length = (std::uint32_t{buffer[2]} << 24U) |
                               (std::uint32_t{buffer[3]} << 16U) |
                               (std::uint32_t{buffer[4]} << 8U) | std::uint32_t{buffer[5]};
  if (length < kHeaderBytes || length > max_bytes) {
    out.state = FrameState::invalid;
    out.error = "LLRP message length " + std::to_string(length) + " outside [10, " +
                std::to_string(max_bytes) + "] bytes";
    return out;
  }
  if (buffer.size() < length) return out;
  out.state = FrameState::complete;
  out.header.type = static_cast<std::uint16_t>(((buffer[0] & 0x03U) << 8U) | buffer[1]);
  out.header.length = length;
  out.header.id = (std::uint32_t{buffer[6]} << 24U) | (std::uint32_t{buffer[7]} << 16U) |
                  (std::uint32_t{buffer[8]} << 8U) | std::uint32_t{buffer[9]};
  return out;
}

std::string message_name(std::uint16_t type) {
  switch (type) {
    case kGetReaderCapabilities:
      return "GET_READER_CAPABILITIES";
    case kGetReaderCapabilitiesResponse:
      return "GET_READER_CAPABILITIES_RESPONSE";
    case kSetReaderConfig:
      return "SET_READER_CONFIG";
    case kSetReaderConfigResponse:
      return "SET_READER_CONFIG_RESPONSE";
    case kCloseConnection:
      return "CLOSE_CONNECTION";
    case kCloseConnectionResponse:
      return "CLOSE_CONNECTION_RESPONSE";
    case kAddRospec:
      return "ADD_ROSPEC";
    case kAddRospecResponse:
      return "ADD_ROSPEC_RESPONSE";
    case kDeleteRospec:
      return "DELETE_ROSPEC";
    case kDeleteRospecResponse:
      return "DELETE_ROSPEC_RESPONSE";
    case kStartRospec:
      return "START_ROSPEC";
    case kStartRospecResponse:
      return "START_ROSPEC_RESPONSE";
    case kStopRospec:
      return "STOP_ROSPEC";
    case kStopRospecResponse:
      return "STOP_ROSPEC_RESPONSE";
    case kEnableRospec:
      return "ENABLE_ROSPEC";
    case kEnableRospecResponse:
      return "ENABLE_ROSPEC_RESPONSE";
    case kRoAccessReport:
      return "RO_ACCESS_REPORT";
    case kKeepalive:
      return "KEEPALIVE";
    case kKeepaliveAck:
      return "KEEPALIVE_ACK";
    case kReaderEventNotification:
      return "READER_EVENT_NOTIFICATION";
    case kEnableEventsAndReports:
      return "ENABLE_EVENTS_AND_REPORTS";
    case kErrorMessage:
      return "ERROR_MESSAGE";
    case kCustomMessage:
      return "CUSTOM_MESSAGE";
    default:
      return "type " + std::to_string(type);
  }
}

}  // namespace dockgate::drivers::llrp

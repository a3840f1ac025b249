// SPDX-License-Identifier: Apache-2.0
// LLRP 1.0.1 message framing (section 16.1, 16.2.1): the 10-byte header, message type
// numbers, and where one message ends in a byte stream. Pure code: no I/O, never throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace dockgate::drivers::llrp {

/// Message type numbers (LLRP 1.0.1 section 16.1.1 to 16.1.48). Requests and their responses.
enum MessageType : std::uint16_t {
  kGetReaderCapabilities = 1,
  kSetReaderConfig = 3,
  kCloseConnectionResponse = 4,
  kGetReaderCapabilitiesResponse = 11,
  kSetReaderConfigResponse = 13,
  kCloseConnection = 14,
  kAddRospec = 20,
  kDeleteRospec = 21,
  kStartRospec = 22,
  kStopRospec = 23,
  kEnableRospec = 24,
  kAddRospecResponse = 30,
  kDeleteRospecResponse = 31,
  kStartRospecResponse = 32,
  kStopRospecResponse = 33,
  kEnableRospecResponse = 34,
  kRoAccessReport = 61,
  kKeepalive = 62,
  kReaderEventNotification = 63,
  kEnableEventsAndReports = 64,
  kKeepaliveAck = 72,
  kErrorMessage = 100,
  kCustomMessage = 1023,
};

inline constexpr std::size_t kHeaderBytes = 10;  ///< rsvd/ver/type u16, length u32, id u32
inline constexpr std::uint32_t kMaxFrameBytes = 1u << 20;  ///< default cap: 1 MiB per message

/// The decoded header of one message (section 16.1). `length` counts the whole message.
struct FrameHeader {
  std::uint16_t type = 0;    ///< 10-bit message type
  std::uint32_t length = 0;  ///< bytes, header included
  std::uint32_t id = 0;      ///< message id; a response carries its request's id (7.1.2)
};

enum class FrameState { need_more, complete, invalid };

/// Outcome of looking at the start of a receive buffer.
struct FrameCheck {
  FrameState state = FrameState::need_more;
  FrameHeader header;  ///< valid when state == complete
  std::string error;   ///< why the stream is not LLRP, when state == invalid
};

/// Looks at `buffer` (bytes received so far, a message starting at byte 0). invalid as soon
/// as the bytes present show reserved bits set, version != 1, length < 10 or length > `max_bytes`
/// (a stream with a bad length cannot be resynchronised: the caller closes the connection);
/// complete when the whole message is present (its bytes are buffer[0, header.length)).
FrameCheck check_frame(std::span<const std::uint8_t> buffer,
                       std::uint32_t max_bytes = kMaxFrameBytes);

/// Human name of a message type ("KEEPALIVE", "ADD_ROSPEC_RESPONSE"), or "type N".
std::string message_name(std::uint16_t type);

}  // namespace dockgate::drivers::llrp

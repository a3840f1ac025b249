// SPDX-License-Identifier: Apache-2.0
// LLRP 1.0.1 client messages: encoders for what the reader link sends and decoders for the
// reader's status replies and events. Pure code: no I/O, never throws; a decoder that meets
// malformed bytes returns an error string instead of a value.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "drivers/llrp/llrp_bytes.hpp"

namespace dockgate::drivers::llrp {

/// SET_READER_CONFIG content (section 12.1.3).
struct ReaderConfigRequest {
  bool reset_to_factory = false;       ///< ResetToFactoryDefault: reset first, then apply the rest
  std::uint32_t keepalive_ms = 10000;  ///< KeepaliveSpec (220) periodic; 0 = keepalive off
  /// ReaderEventNotificationSpec (244): events turned on (section 13.2.6.1: 2 ROSpec event,
  /// 4 reader exception, 8 antenna event). Empty = the parameter is not sent.
  std::vector<std::uint16_t> events = {2, 4, 8};
  bool hold_events_on_reconnect = false;  ///< EventsAndReports (226) bit 0x80
};

/// ADD_ROSPEC content (section 10.1.1, 10.2): one AISpec, one Gen2 InventoryParameterSpec
/// (id 1), stop trigger Null, start trigger Immediate (1) or Null (0).
struct RospecRequest {
  std::uint32_t rospec_id = 1;                ///< != 0
  std::vector<std::uint16_t> antennas = {0};  ///< AntennaIDs; {0} = all (10.2.2)
  bool immediate_start = true;          ///< Immediate start trigger: runs once enabled (§6.1)
  std::uint8_t report_trigger = 2;      ///< ROReportTrigger: 1 N tags or end of AISpec, 2 ROSpec
  std::uint16_t report_every_tags = 1;  ///< N (0 = unlimited) (13.2.1)
  /// TagReportContentSelector flags (13.2.1.1), bit 15 first: ROSpecID 0x8000, SpecIndex
  /// 0x4000, InventoryParameterSpecID 0x2000, AntennaID 0x1000, ChannelIndex 0x0800,
  /// PeakRSSI 0x0400, FirstSeen 0x0200, LastSeen 0x0100, TagSeenCount 0x0080,
  /// AccessSpecID 0x0040. Default: AntennaID, PeakRSSI, First/LastSeen, TagSeenCount.
  std::uint16_t content_selector = 0x1780;
};

Bytes encode_get_reader_capabilities(std::uint32_t id);  ///< 16.1.1, RequestedData 0 = all
Bytes encode_set_reader_config(std::uint32_t id, const ReaderConfigRequest& config);
Bytes encode_add_rospec(std::uint32_t id, const RospecRequest& rospec);
Bytes encode_delete_rospec(std::uint32_t id, std::uint32_t rospec_id);  ///< 0 = all
Bytes encode_enable_rospec(std::uint32_t id, std::uint32_t rospec_id);
Bytes encode_start_rospec(std::uint32_t id, std::uint32_t rospec_id);
Bytes encode_stop_rospec(std::uint32_t id, std::uint32_t rospec_id);
Bytes encode_enable_events_and_reports(std::uint32_t id);  ///< 16.1.36; has no response
Bytes encode_keepalive_ack(std::uint32_t id);              ///< 16.1.35; `id` = the KEEPALIVE's id
Bytes encode_close_connection(std::uint32_t id);           ///< 16.1.6

/// LLRPStatus (287, section 14.2.2): code 0 = M_Success.
struct LlrpStatus {
  std::uint16_t code = 0;
  std::string description;  ///< ErrorDescription, UTF-8 as sent
  [[nodiscard]] bool success() const { return code == 0; }
  /// "M_FieldError (101): <description>" for error messages.
  [[nodiscard]] std::string to_string() const;
};

/// The LLRPStatus of a *_RESPONSE or ERROR_MESSAGE body (section 14.2.2, 16.1.47).
/// `body` = message bytes after the 10-byte header. Error when absent or malformed.
struct StatusResult {
  LlrpStatus status;
  std::string error;
};
StatusResult decode_status(std::span<const std::uint8_t> body);

/// READER_EVENT_NOTIFICATION (section 13.2.6, 16.1.33), the parts the link uses.
struct ReaderEvent {
  std::optional<std::uint64_t> utc_us;     ///< UTCTimestamp (128), µs since 1970
  std::optional<std::uint64_t> uptime_us;  ///< Uptime (129), µs since the reader booted
  /// ConnectionAttemptEvent (256, 13.2.6.11): 0 success, 1 a reader-initiated and 2 a
  /// client-initiated connection already exists, 3 failed for another reason, 4 another
  /// connection was attempted (sent on the live connection).
  std::optional<std::uint16_t> connection_attempt;
  bool connection_close = false;            ///< ConnectionCloseEvent (257, 13.2.6.12)
  std::vector<std::uint16_t> other_events;  ///< types of the other event parameters
};
struct EventResult {
  ReaderEvent event;
  std::string error;
};
EventResult decode_reader_event(std::span<const std::uint8_t> body);

/// Name of an LLRPStatus code (section 14.2.1 Table 13), e.g. "M_Success", or "status N".
std::string status_name(std::uint16_t code);

}  // namespace dockgate::drivers::llrp

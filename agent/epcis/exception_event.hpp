// SPDX-License-Identifier: Apache-2.0
// dockgate's local exception events (published on {prefix}/{site}/{gateway}/exceptions):
// things dock staff or IT must look at — an unreadable label, a frame too long, a device
// that went down. They are buffered and numbered exactly like EPCIS events.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace dockgate::epcis {

/// One exception. `type` values: invalid_barcode, frame_too_long,
/// missing_symbology_identifier (or any ReadError kind), device_down, device_up, and the dock
/// session checks door_open_without_trailer, door_open_too_long, scan_without_session,
/// empty_departure (agent/dock/), exceptions_suppressed (the rate-limit summary,
/// agent/core/exception_limiter.hpp), and the gateway's own buffer_corrupt and buffer_full.
struct ExceptionInfo {
  std::string type;
  std::string reason;  ///< human-readable, e.g. "AI (00): check digit is 1, expected 0"
  std::string gateway_id;
  std::string site_id;
  std::string location_id;
  std::string read_point;  ///< Digital Link of the door, "" when unknown
  std::string driver_id;
  std::int64_t time_ms = 0;  ///< UTC ms
  int tz_offset_minutes = 0;
  std::string event_id;      ///< urn:uuid
  std::string symbology_id;  ///< "" when none
  std::string raw_data;      ///< bytes as read (published base64: rawDataBase64)
  bool has_raw = false;      ///< include rawDataBase64 (also when raw_data is empty)
  /// Further string fields appended in order, e.g. {"dockSessionId", "urn:uuid:..."},
  /// {"relatedEventId", "urn:uuid:..."}.
  std::vector<std::pair<std::string, std::string>> extra;
  /// Integer fields appended after `extra`, e.g. {"suppressedCount", 7823}.
  std::vector<std::pair<std::string, std::int64_t>> extra_numbers;
  /// String-array fields appended last, e.g. {"missingSsccs", {"3401...", ...}}.
  std::vector<std::pair<std::string, std::vector<std::string>>> extra_lists;
};

/// JSON text without its closing brace; finish with close_with_seq(text, "gatewaySeq", n).
/// Keys: type, eventID, eventTime, eventTimeZoneOffset, reason, siteId, gatewayId,
/// locationId, readPoint, driverId, symbologyId, rawDataBase64.
std::string exception_event_open(const ExceptionInfo& info);

}  // namespace dockgate::epcis

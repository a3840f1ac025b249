// SPDX-License-Identifier: Apache-2.0
// Builds the EPCIS 2.0 ObjectEvent for one accepted scan (EPCIS 2.0 section 7.4.2, JSON/
// JSON-LD binding section 12; CBV 2.0 bizStep / disposition values as bare strings).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "agent/core/identification.hpp"
#include "agent/scan_read.hpp"

namespace dockgate::epcis {

/// Dock door direction -> CBV bizStep and dockgate milestone name. `both`: a door used for
/// loading and unloading, where a read without a travel direction has no bizStep.
enum class Direction { inbound, outbound, both };

/// Where and when the scan happened, and who read it.
struct ScanContext {
  std::string gateway_id;
  std::string site_gln;       ///< 13 digits
  std::string location_id;    ///< dock door id from config
  std::string gln_extension;  ///< AI 254 of the door: readPoint = .../414/{gln}/254/{ext}
  Direction direction = Direction::inbound;
  std::string driver_id;
  std::int64_t event_time_ms = 0;  ///< UTC ms
  int tz_offset_minutes = 0;       ///< eventTimeZoneOffset
  std::string event_id;            ///< "urn:uuid:..." (time-ordered)
  std::string symbology_id;        ///< AIM id or ""
  std::string raw_data;            ///< bytes exactly as read
  /// Set by the dock-session layer (agent/dock/); empty = the defaults below.
  std::string biz_step;   ///< CBV bizStep instead of receiving/loading (e.g. "arriving")
  std::string milestone;  ///< dg:milestone instead of warehouse_inbound/outbound
  /// Extra dockgate string fields appended in order, e.g. {"dg:dockSessionId", "urn:uuid:.."}.
  std::vector<std::pair<std::string, std::string>> extensions;
  const TagFacts* tag = nullptr;  ///< an RFID pass: its facts become dg:tagUri etc. Not owned.
};

/// The event as JSON text WITHOUT its closing brace, so the outbox can append
/// `,"dg:gatewaySeq":N}` once the sequence number is assigned at commit (cheap, no re-parse).
/// Fields: type, eventTime, eventTimeZoneOffset, eventID, epcList and/or quantityList,
/// action OBSERVE, bizStep receiving (inbound) / loading (outbound) / none (both),
/// disposition in_progress, readPoint, bizLocation, bizTransactionList, destinationList,
/// and dockgate extensions dg:milestone (warehouse_inbound / warehouse_outbound /
/// door_passed), dg:gatewayId, dg:driverId, dg:locationId, dg:source, dg:symbologyId,
/// dg:rawData (or dg:rawDataBase64 when the bytes are not 7-bit ASCII); for an RFID pass
/// also dg:tagUri, dg:epcScheme, dg:antennaId, dg:peakRssi (dBm), dg:readCount,
/// dg:firstSeen, dg:lastSeen (UTC text) and dg:travelDirection (inbound / outbound).
std::string object_event_open(const ScanContext& ctx, const Identification& id);

/// Closes a text from object_event_open (or exception_event_open) with the sequence number
/// under `key`: returns open + ",\"key\":seq}".
std::string close_with_seq(const std::string& open, const char* key, std::uint64_t seq);

/// readPoint / bizLocation ids in GS1 Digital Link form (GS1 Digital Link 1.4, AI 414 + 254).
std::string read_point_uri(const std::string& site_gln, const std::string& gln_extension);
std::string biz_location_uri(const std::string& site_gln);

}  // namespace dockgate::epcis

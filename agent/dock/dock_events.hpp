// SPDX-License-Identifier: Apache-2.0
// EPCIS 2.0 events of a dock session (EPCIS 2.0 section 7.4; CBV 2.0 section 7.1 bizSteps
// arriving, sensor_reporting, departing, unloading; JSON binding section 12):
//  - arriving: ObjectEvent, the trailer arrived at the door (sensor data only);
//  - door_opened / door_closed: ObjectEvent, bizStep sensor_reporting;
//  - departing (outbound door): AggregationEvent parentID = the trailer when it was scanned,
//    childEPCs = every EPC loaded; otherwise an ObjectEvent with the epcList. Disposition
//    in_transit;
//  - unloading_complete (inbound door): ObjectEvent, bizStep unloading, epcList of what was
//    received and dg:handlingUnitCount.
// Every event carries sensorElementList (sensorMetadata{time, deviceID}, sensorReport of
// dg:trailerPresent / dg:doorOpen booleans; GS1 defines no door sensor types), so it is a
// valid EPCIS event even without EPCs, plus dg:dockSessionId. Texts lack the closing brace
// (see epcis::close_with_seq).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "agent/dock/door_state.hpp"
#include "agent/epcis/object_event.hpp"

namespace dockgate::dock {

/// Where and when, and the sensor states to report.
struct DockEventContext {
  std::string gateway_id;
  std::string site_gln;
  std::string location_id;
  std::string gln_extension;
  epcis::Direction direction = epcis::Direction::inbound;
  std::string driver_id;
  std::string device_id;  ///< sensorMetadata.deviceID (a URI); omitted when empty
  std::int64_t time_ms = 0;
  int tz_offset_minutes = 0;
  std::string event_id;
  std::optional<bool> trailer_present;
  std::optional<bool> door_open;
};

/// dg:milestone "arriving": a new session at the door.
std::string arriving_event_open(const DockEventContext& ctx, const DockSession& session);

/// dg:milestone "door_opened" / "door_closed" (session may be null: no trailer).
std::string door_event_open(const DockEventContext& ctx, bool opened, const DockSession* session);

/// Another configured sensor point changed: dg:milestone "sensor_changed" with its value
/// as sensorReport type "dg:<point>".
std::string sensor_event_open(const DockEventContext& ctx, const std::string& point, bool value,
                              const DockSession* session);

/// The session's closing milestone: departing (outbound) or unloading_complete (inbound).
/// `extra` (a JSON object: dg:planId, dg:expectedUnits ... from the plan check) is merged in.
std::string session_closed_event_open(const DockEventContext& ctx, const DockSession& session,
                                      const nlohmann::json& extra = nlohmann::json::object());

}  // namespace dockgate::dock

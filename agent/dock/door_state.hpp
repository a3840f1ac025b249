// SPDX-License-Identifier: Apache-2.0
// What the agent knows about one dock door: the last sensor states and the open dock
// session. Persisted as JSON in the outbox `state` table (key "dock_session/<door>") in the
// same transaction as the event that changed it, so a restart resumes the session.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dockgate {

/// A trailer at a door, from arrival (trailer_present rises) to departure (trailer gone and
/// door closed).
struct DockSession {
  std::string id;                    ///< urn:uuid (derived UUIDv5, see README), dg:dockSessionId
  std::int64_t opened_ms = 0;        ///< UTC ms of the arrival
  std::string transport_id;          ///< URI of the trailer / transport unit once scanned, else ""
  std::vector<std::string> epcs;     ///< distinct EPCs scanned in the session, in order
  std::uint64_t handling_units = 0;  ///< accepted scans (handling units), repeats included
  bool epcs_truncated = false;       ///< more distinct EPCs than max_session_epcs
  std::int64_t door_opened_ms = 0;   ///< first door opening in the session; 0 = none yet
};

struct DoorState {
  std::optional<bool> trailer_present;  ///< nullopt until the first signal
  std::optional<bool> door_open;
  std::int64_t door_open_since_ms = 0;  ///< UTC ms of the current opening
  bool door_open_alarm_raised = false;  ///< door_open_too_long already sent for this opening
  std::string device_id;                ///< sensorMetadata.deviceID of the last signal
  std::string driver_id;                ///< driver of the last signal
  std::optional<DockSession> session;
  /// Derived eventIDs (see DockSessions): a random id of this door's saved history, and the
  /// number of transitions so far. Both ride on the saved state, so a transition replayed
  /// after a crash (from the same saved state) derives the same ids. "" = not yet assigned.
  std::string id_epoch;
  std::uint64_t transitions = 0;
};

/// Compact JSON text of `state` (keys: trailerPresent, doorOpen, doorOpenSinceMs,
/// doorOpenAlarmRaised, deviceId, driverId, idEpoch, transitions, session{id, openedMs,
/// transportId, epcList, handlingUnits, epcListTruncated, doorOpenedMs}).
std::string to_json(const DoorState& state);

/// Parses to_json's output. Returns nullopt with `error` set when the text is not JSON or a
/// field has the wrong type (a damaged row must not stop the agent).
std::optional<DoorState> door_state_from_json(const std::string& text, std::string& error);

}  // namespace dockgate

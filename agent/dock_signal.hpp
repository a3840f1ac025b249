// SPDX-License-Identifier: Apache-2.0
// Dock door signals: what a sensor driver (Modbus) hands the core, and the signal-tower
// feedback the core asks a driver to show. Drivers fill DockSignal; the dock-session state
// machine (agent/dock/) turns them into arriving/departing milestones and exceptions.
#pragma once

#include <cstdint>
#include <string>

namespace dockgate {

/// Well-known point names. Sites may map further points; the core keeps them as sensor data.
inline constexpr const char* kTrailerPresent = "trailer_present";
inline constexpr const char* kDoorOpen = "door_open";

/// A debounced state of one boolean sensor point at a dock door.
/// `initial` marks the first value read after the driver (re)connected: it is not debounced
/// and may equal the last reported state (the core uses it to reconcile after a restart or
/// an outage, e.g. a trailer that left while the PLC was unreachable).
struct DockSignal {
  std::string driver_id;     ///< config `drivers[].id`
  std::string location_id;   ///< config `drivers[].location` (the dock door)
  std::int64_t time_ms = 0;  ///< UTC ms when the new state was first seen (before debounce)
  std::string point;         ///< kTrailerPresent, kDoorOpen, or a configured name
  bool value = false;        ///< after inversion: true = present / open / active
  bool initial = false;      ///< first read after (re)connect
  std::string device_id;     ///< sensorMetadata.deviceID, e.g. "modbus-tcp://10.0.0.5:502/unit/1"
};

/// Signal-tower outputs a door can have (each optional in the driver's config).
enum class FeedbackSignal { green, red, buzzer };

/// Asks the drivers at `location_id` to pulse one output (pulse length is driver config).
struct Feedback {
  std::string location_id;
  FeedbackSignal signal = FeedbackSignal::green;
};

/// "green" / "red" / "buzzer".
inline const char* to_string(FeedbackSignal s) {
  switch (s) {
    case FeedbackSignal::green:
      return "green";
    case FeedbackSignal::red:
      return "red";
    case FeedbackSignal::buzzer:
      return "buzzer";
  }
  return "green";
}

}  // namespace dockgate

// SPDX-License-Identifier: Apache-2.0
// `dock_sessions:` settings: how trailers are identified and which local checks raise
// exception events. Read by config/dock_sections.cpp (keys, defaults and help text there).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace dockgate {

struct DockSessionOptions {
  /// A door open longer than this raises door_open_too_long (once per opening); 0 = off.
  std::chrono::milliseconds door_open_alarm{std::chrono::minutes(30)};
  /// GS1 AIs whose scan identifies the trailer / transport unit instead of a handling unit
  /// (GS1 General Specifications 3.9.3 GRAI = 8003, 3.9.4 GIAI = 8004).
  std::vector<std::string> transport_ais{"8003", "8004"};
  /// Names of site patterns (patterns[].name) that identify the trailer, e.g. a plate label.
  std::vector<std::string> transport_patterns;
  /// Flag scans at a door with dock sensors while no session is open (the scan still counts).
  bool flag_scan_without_session = true;
  /// EPCs remembered per session for the departing event; beyond this the session counts
  /// scans but lists no more (the departing event says so in dg:epcListTruncated).
  std::size_t max_session_epcs = 5000;
};

}  // namespace dockgate

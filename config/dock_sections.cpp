// SPDX-License-Identifier: Apache-2.0
// dock_sessions: how trailers are identified at the door and which local checks raise
// exception events. Keys, defaults and help text live here; the struct is
// agent/dock/dock_options.hpp.
#include <algorithm>
#include <chrono>

#include "config/sections.hpp"

namespace dockgate::config::detail {

void read_dock_sessions(MapReader& root, const std::vector<SitePatternConfig>& patterns,
                        DockSessionOptions& out) {
  using std::chrono::milliseconds;
  MapReader r = root.child(
      "dock_sessions",
      "Dock sessions at doors with dock sensors (drivers of type modbus): a session runs "
      "from trailer arrival to departure; its events carry dg:dockSessionId.");
  const bool alarm_read = r.duration(
      "door_open_alarm", out.door_open_alarm,
      "A door open longer than this raises a door_open_too_long exception, once per opening "
      "(0 disables; up to 24h).");
  check_range(r, "door_open_alarm", alarm_read, out.door_open_alarm, milliseconds(0),
              milliseconds(24LL * 3'600'000));
  if (r.optional("transport_ais", out.transport_ais,
                 "GS1 Application Identifiers whose scan identifies the trailer or transport "
                 "unit rather than a handling unit: 8003 (GRAI), 8004 (GIAI). The session's "
                 "events then name it (dg:transportId; parentID of the departing "
                 "AggregationEvent).")) {
    for (const auto& ai : out.transport_ais) {
      if (ai != "8003" && ai != "8004") {
        r.error("transport_ais", "'" + ai +
                                     "' is not supported: only 8003 (GRAI) and 8004 (GIAI) "
                                     "identify a transport unit");
      }
    }
  }
  if (r.optional("transport_patterns", out.transport_patterns,
                 "Names of patterns[] entries whose match identifies the trailer (for "
                 "example a license plate label).")) {
    for (const auto& name : out.transport_patterns) {
      const bool known = std::any_of(patterns.begin(), patterns.end(),
                                     [&](const SitePatternConfig& p) { return p.name == name; });
      if (!known) r.error("transport_patterns", "no patterns[] entry is named '" + name + "'");
    }
  }
  r.optional("flag_scan_without_session", out.flag_scan_without_session,
             "At doors with dock sensors, a scan while no trailer session is open is recorded "
             "and also raises a scan_without_session exception.");
  std::uint64_t max_epcs = out.max_session_epcs;
  const bool max_read =
      r.optional("max_session_epcs", max_epcs,
                 "Distinct EPCs a session remembers for its departing / unloading_complete "
                 "event (1-100000); further scans are counted but not listed.");
  check_range(r, "max_session_epcs", max_read, max_epcs, 1, 100'000);
  out.max_session_epcs = static_cast<std::size_t>(max_epcs);
  r.finish();
}

}  // namespace dockgate::config::detail

// SPDX-License-Identifier: Apache-2.0
// site:, gateway:, locations[] and log: — who and where this gateway is.
#include <map>

#include "config/sections.hpp"
#include "config/validate.hpp"

namespace dockgate::config::detail {

void read_site(MapReader& root, SiteConfig& out) {
  MapReader r = root.child("site", "The facility this gateway serves.", true);
  if (r.required("id", out.id,
                 "Short site name; one MQTT topic level ({prefix}/{site}/{gateway}/...), so "
                 "1-64 characters of A-Z a-z 0-9 - _ (no '/', '+', '#'). Example: hub-hamburg.")) {
    report(r, "id", check_topic_id(out.id));
  }
  if (r.required("gln", out.gln,
                 "GS1 Global Location Number of the site: 13 digits with a valid mod-10 check "
                 "digit. Events carry bizLocation https://id.gs1.org/414/{gln} and readPoint "
                 "https://id.gs1.org/414/{gln}/254/{locations[].gln_extension}. Quote it "
                 "(\"4012345000016\") so every YAML tool treats it as text.")) {
    report(r, "gln", check_gln(out.gln));
  }
  if (r.optional("time_zone_offset", out.time_zone_offset,
                 "EPCIS eventTimeZoneOffset of every event: \"local\" (the gateway's time zone "
                 "at the event's time, following daylight saving) or a fixed offset from "
                 "-14:00 to +14:00 such as \"+01:00\".")) {
    report(r, "time_zone_offset", check_time_zone_offset(out.time_zone_offset));
  }
  r.finish();
}

void read_gateway(MapReader& root, GatewayConfig& out) {
  MapReader r = root.child("gateway", "This machine.", true);
  if (r.required("id", out.id,
                 "Gateway name, unique within the site; one MQTT topic level, so 1-64 "
                 "characters of A-Z a-z 0-9 - _. Example: gw-dock-north.")) {
    report(r, "id", check_topic_id(out.id));
  }
  r.finish();
}

void read_locations(MapReader& root, std::vector<LocationConfig>& out) {
  auto items = root.list(
      "locations", "The dock doors (EPCIS readPoints) this gateway covers; at least one.", true);
  if (items.empty() && root.has("locations") && root.node()["locations"].IsSequence()) {
    root.error("locations", "must list at least one location");
  }
  std::map<std::string, std::string> ids;         // id -> key path of its first use
  std::map<std::string, std::string> extensions;  // gln_extension -> key path
  for (auto& r : items) {
    LocationConfig loc;
    if (r.required("id", loc.id,
                   "Location name, referenced by drivers[].location; unique; 1-64 characters "
                   "of A-Z a-z 0-9 - _. Example: door-03.")) {
      if (std::string e = check_topic_id(loc.id); !e.empty()) {
        r.error("id", e);
      } else if (auto [it, added] = ids.emplace(loc.id, r.path()); !added) {
        r.error("id", "duplicate location id '" + loc.id + "', already used by " + it->second);
      }
    }
    r.choice("direction", loc.direction, {"inbound", "outbound", "both"},
             "Flow through this door: inbound reads become receiving events, outbound reads "
             "loading events. both: a door used both ways; an RFID pass seen by its outside "
             "and inside antennas takes the direction it travelled, other reads get no "
             "bizStep and milestone door_passed.",
             true);
    if (r.required("gln_extension", loc.gln_extension,
                   "GS1 AI (254) GLN extension that tells this door apart within the site "
                   "GLN: 1-20 characters of GS1 character set 82. Unique. Example: DOOR03.")) {
      if (std::string e = check_gln_extension(loc.gln_extension); !e.empty()) {
        r.error("gln_extension", e);
      } else if (auto [it, added] = extensions.emplace(loc.gln_extension, r.path()); !added) {
        r.error("gln_extension", "duplicate gln_extension '" + loc.gln_extension +
                                     "', already used by " + it->second +
                                     " (two doors would share one readPoint)");
      }
    }
    r.optional("name", loc.name, "Human-readable name for dashboards and logs (\"Door 3\").");
    r.finish();
    out.push_back(std::move(loc));
  }
}

void read_log(MapReader& root, LogConfig& out) {
  MapReader r = root.child("log", "Log output of the agent.");
  r.choice("level", out.level, {"trace", "debug", "info", "warn", "error", "critical", "off"},
           "Least severe message level that is logged; debug and trace are for "
           "troubleshooting, off logs nothing.");
  r.finish();
}

void read_exception_limit(MapReader& root, ExceptionLimitSettings& out) {
  MapReader r = root.child("exception_limit",
                           "Rate limit of exception events per driver and kind, so a babbling "
                           "device (a serial scanner on the wrong baud rate) cannot flood the "
                           "timeline. Nothing is dropped silently: the rest is counted in one "
                           "exceptions_suppressed event per interval.");
  std::uint64_t burst = out.burst;
  const bool burst_read =
      r.optional("burst", burst,
                 "Exceptions of one kind from one driver published in full per interval "
                 "(1-10000); the rest of the interval is summarised.");
  check_range(r, "burst", burst_read, burst, 1, 10'000);
  if (burst_read && burst >= 1 && burst <= 10'000) out.burst = static_cast<std::uint32_t>(burst);
  const bool interval_read =
      r.duration("interval", out.interval,
                 "Length of a rate-limit window (1s-1h); also how long a device must be quiet "
                 "before its device_babbling alarm clears.");
  check_range(r, "interval", interval_read, out.interval, std::chrono::milliseconds(1'000),
              std::chrono::milliseconds(3'600'000));
  r.finish();
}

}  // namespace dockgate::config::detail

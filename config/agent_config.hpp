// SPDX-License-Identifier: Apache-2.0
// The whole agent configuration, as read from one YAML file and validated.
// Section structs live next to the code they configure (buffer/, uplink/, drivers/);
// this file only assembles them.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent/core/exception_limiter.hpp"
#include "agent/dock/dock_options.hpp"
#include "agent/plans/plan_options.hpp"
#include "agent/runtime/metrics_options.hpp"
#include "buffer/outbox_options.hpp"
#include "config/config_error.hpp"
#include "config/map_reader.hpp"
#include "drivers/driver.hpp"
#include "uplink/mqtt_options.hpp"

namespace dockgate::config {

/// `site:` the facility. GLN = GS1 Global Location Number (13 digits, mod-10 check digit).
struct SiteConfig {
  std::string id;   ///< short name used in MQTT topics, e.g. "hub-hamburg"
  std::string gln;  ///< the site's GLN; bizLocation = https://id.gs1.org/414/{gln}
  /// eventTimeZoneOffset: "local" (the gateway's zone at event time) or a fixed "+01:00".
  std::string time_zone_offset = "local";
};

/// `gateway:` this machine.
struct GatewayConfig {
  std::string id;  ///< unique per site; MQTT topic level and dg:gatewayId
};

/// `locations[]`: a dock door (readPoint).
struct LocationConfig {
  std::string id;             ///< referenced by drivers[].location, e.g. "door-03"
  std::string direction;      ///< "inbound" (receiving), "outbound" (loading) or "both"
  std::string gln_extension;  ///< AI 254 GLN extension: readPoint .../414/{gln}/254/{ext}
  std::string name;           ///< optional human-readable name ("Door 3")
};

/// `drivers[]`: one configured device.
struct DriverConfig {
  std::string id;
  std::string type;
  std::string location;
  bool enabled = true;
  drivers::DriverFactory factory;  ///< captures the driver's own validated keys
};

/// `patterns[]`: site-specific non-GS1 labels accepted on purpose.
struct SitePatternConfig {
  std::string name;   ///< e.g. "license_plate"
  std::string regex;  ///< ECMAScript regex matched against the whole scan
  /// URI for epcList; "{0}" is the whole match, "{1}".."{9}" capture groups.
  std::string uri;
};

/// `log:`
struct LogConfig {
  std::string level = "info";  ///< trace|debug|info|warn|error|critical|off
};

/// The whole validated configuration. Paths in it are absolute.
struct AgentConfig {
  std::string source_file;  ///< the file it was read from (see load_agent_config)
  SiteConfig site;
  GatewayConfig gateway;
  std::vector<LocationConfig> locations;
  std::vector<DriverConfig> drivers;
  std::vector<SitePatternConfig> patterns;
  DockSessionOptions dock_sessions;  ///< `dock_sessions:`
  plans::PlanOptions plans;          ///< `plans:`
  /// `buffer:`. Unlike a bare OutboxOptions, the daemon keeps delivered records for replay
  /// by default: one day, at most 256 MiB.
  buffer::OutboxOptions buffer = [] {
    buffer::OutboxOptions o;
    o.retain_delivered = std::chrono::hours(24);
    o.retain_delivered_bytes = 256ULL * 1024 * 1024;
    return o;
  }();
  uplink::MqttOptions mqtt;  ///< `uplink.mqtt:`
  /// Same code at the same location within this window counts once (0 disables).
  std::chrono::milliseconds dedup_window{5'000};
  /// A door label moves a handheld's reads to that door for this long (0 = until the next).
  std::chrono::milliseconds location_label_timeout{30 * 60'000};
  /// A device down for less than this is only logged, not published as an exception.
  std::chrono::milliseconds device_down_grace{10'000};
  /// `exception_limit:` per driver and kind.
  ExceptionLimitSettings exception_limit;
  LogConfig log;
  runtime::MetricsOptions metrics;  ///< `metrics:`
  /// Each top-level section as re-emitted YAML text ("drivers" -> "- id: ..."), so a config
  /// reload can tell which sections changed. Absent sections are absent here.
  std::map<std::string, std::string> section_text;

  /// The location with this id, or nullptr. The pointer is valid while `locations` is unchanged.
  [[nodiscard]] const LocationConfig* find_location(const std::string& id) const;
};

/// Reads and validates the YAML config file at `path`. Returns the config when the file has
/// no problem; otherwise nullopt, with every problem appended to `errors` in file order, each
/// naming file, line, column (1-based; 0 for file-level problems) and key path
/// ("drivers[1].baud"). Reported: unreadable / oversized file, YAML syntax errors (one
/// error at yaml-cpp's position), duplicate keys, unknown keys, wrong types, missing
/// required keys and every value check (GLN check digit, regexes, MQTT URI, ranges, files).
/// Relative paths in the file (buffer.path, uplink.mqtt.password_file / ca_file /
/// cert_file / key_file) are resolved against the directory of `path` as given (symlinks
/// are not followed); files it names must exist and be readable now. Never throws for
/// bad input. `source_file` is set to the absolute path.
std::optional<AgentConfig> load_agent_config(const std::string& path, ConfigErrors& errors);

/// Same as load_agent_config, from YAML text: `file_name` is used in messages, relative
/// paths are resolved against its directory (the working directory when it has none), and
/// `source_file` is set to `file_name` as given.
std::optional<AgentConfig> parse_agent_config(const std::string& yaml_text,
                                              const std::string& file_name, ConfigErrors& errors);

/// Every declared key in file order with type, default and help text, for `dockgate
/// config-reference`: paths such as "buffer.path", "locations[].id", "drivers[].baud".
/// Each driver type contributes a heading entry "drivers[] (type: X)" (type "mapping",
/// help = the type's description) followed by its own keys, which carry
/// applies_to = "type: X". Same text as the reader uses, so the docs cannot drift.
std::vector<KeyDoc> agent_config_reference();

}  // namespace dockgate::config

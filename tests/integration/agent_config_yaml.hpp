// SPDX-License-Identifier: Apache-2.0
// Builds agent configs for integration tests: door-03 inbound, door-07 outbound.
#pragma once

#include <cstdint>
#include <string>

namespace dockgate::test {

struct AgentYaml {
  std::string broker_uri;
  std::string db_path;
  std::string serial_device;          ///< "" = no serial scanner (door-03)
  std::uint16_t tcp_server_port = 0;  ///< 0 = none; tcp_scanner server at door-07
  std::uint16_t tcp_client_port = 0;  ///< 0 = none; tcp_scanner client at door-03
  std::string camera_spool;           ///< "" = none; camera spool directory at door-07
  std::string hid_device;             ///< "" = none; hid_scanner (evdev or FIFO) at door-03
  /// 0 = none; a modbus driver door07-io at door-07 polling 127.0.0.1:port (unit 1): trailer
  /// on discrete input 0, door on discrete input 1, green/red/buzzer on coils 0/1/2.
  std::uint16_t modbus_port = 0;
  std::string dedup_window = "0";
  std::string extra_locations;  ///< `locations:` list items appended verbatim
  std::string extra_drivers;    ///< `drivers:` list items appended verbatim (e.g. type: llrp)
  std::string extra;            ///< appended verbatim (top-level keys)
  /// metrics.listen: off by default, so agents of tests running side by side never compete
  /// for the default port 9464.
  std::string metrics_listen;
};

inline std::string agent_yaml(const AgentYaml& a) {
  std::string y = R"(site:
  id: hub-test
  gln: "4012345000016"
  time_zone_offset: "+01:00"
gateway:
  id: gw-it
locations:
  - id: door-03
    direction: inbound
    gln_extension: DOOR03
  - id: door-07
    direction: outbound
    gln_extension: DOOR07
)";
  y += a.extra_locations;
  y += "drivers:\n";
  if (!a.serial_device.empty()) {
    y += "  - id: door03-serial\n    type: serial_scanner\n    location: door-03\n"
         "    device: " +
         a.serial_device +
         "\n    baud: 115200\n    reopen_min: 100ms\n"
         "    reopen_max: 500ms\n";
  }
  if (a.tcp_server_port != 0) {
    y += "  - id: door07-net\n    type: tcp_scanner\n    location: door-07\n    mode: server\n"
         "    bind: 127.0.0.1\n    port: " +
         std::to_string(a.tcp_server_port) + "\n";
  }
  if (a.tcp_client_port != 0) {
    y += "  - id: door03-net\n    type: tcp_scanner\n    location: door-03\n    mode: client\n"
         "    host: 127.0.0.1\n    port: " +
         std::to_string(a.tcp_client_port) + "\n";
  }
  if (!a.hid_device.empty()) {
    y += "  - id: door03-wedge\n    type: hid_scanner\n    location: door-03\n    device: " +
         a.hid_device + "\n    reopen_min: 100ms\n    reopen_max: 500ms\n";
  }
  if (!a.camera_spool.empty()) {
    y += "  - id: door07-camera\n    type: camera\n    location: door-07\n    spool_dir: " +
         a.camera_spool + "\n    settle: 200ms\n";
  }
  if (a.modbus_port != 0) {
    y += "  - id: door07-io\n    type: modbus\n    location: door-07\n    transport: tcp\n"
         "    host: 127.0.0.1\n    port: " +
         std::to_string(a.modbus_port) +
         "\n    response_timeout: 300ms\n    poll_interval: 50ms\n    debounce: 100ms\n"
         "    reconnect_min: 100ms\n    reconnect_max: 500ms\n    points:\n"
         "      trailer_present: {source: discrete_input, address: 0}\n"
         "      door_open: {source: discrete_input, address: 1}\n    outputs:\n"
         "      green: {coil: 0, pulse: 3s}\n      red: {coil: 1, pulse: 3s}\n"
         "      buzzer: {coil: 2, pulse: 3s}\n";
  }
  y += a.extra_drivers;
  y += "patterns:\n  - name: license_plate\n    regex: \"^LP([0-9]{8})$\"\n"
       "    uri: \"urn:dockgate:lp:{1}\"\n";
  y += "buffer:\n  path: " + a.db_path + "\n";
  y += "uplink:\n  mqtt:\n    uri: " + a.broker_uri +
       "\n    topic_prefix: dockgate\n    keepalive: 5s\n    reconnect_min: 100ms\n"
       "    reconnect_max: 1s\n    status_interval: 1s\n";
  y += "dedup_window: " + a.dedup_window + "\n";
  y += "device_down_grace: 300ms\n";
  y += "log:\n  level: debug\n";
  y += "metrics:\n  listen: \"" + a.metrics_listen + "\"\n";
  y += a.extra;
  return y;
}

inline constexpr const char* kEventsTopic = "dockgate/hub-test/gw-it/events";
inline constexpr const char* kExceptionsTopic = "dockgate/hub-test/gw-it/exceptions";
inline constexpr const char* kStatusTopic = "dockgate/hub-test/gw-it/status";

}  // namespace dockgate::test

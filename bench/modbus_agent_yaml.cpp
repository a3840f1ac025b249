// SPDX-License-Identifier: Apache-2.0
#include "bench/modbus_agent_yaml.hpp"

#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace dockgate::bench {

std::string door_name(int door) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "door-%02d", door);
  return buf;
}

std::string modbus_agent_yaml(const ModbusAgentYaml& c) {
  if (c.doors < 1 || c.doors > 247) {
    throw std::invalid_argument("doors: " + std::to_string(c.doors) + " outside 1..247");
  }
  std::ostringstream y;
  y << "site:\n"
    << "  id: hub-bench\n"
    << "  gln: \"4012345000016\"\n"
    << "  time_zone_offset: \"+01:00\"\n"
    << "gateway:\n"
    << "  id: gw-modbus\n"
    << "locations:\n";
  for (int d = 1; d <= c.doors; ++d) {
    // Inbound: a trailer leaving a closed door closes the session with unloading_complete
    // and no exception, so every rise and every fall commits exactly one event.
    y << "  - id: " << door_name(d) << "\n"
      << "    direction: inbound\n"
      << "    gln_extension: DOOR" << door_name(d).substr(5) << "\n";
  }
  y << "drivers:\n";
  for (int d = 1; d <= c.doors; ++d) {
    y << "  - id: " << door_name(d) << "-io\n"
      << "    type: modbus\n"
      << "    location: " << door_name(d) << "\n"
      << "    transport: tcp\n"
      << "    host: 127.0.0.1\n"
      << "    port: " << c.modbus_port << "\n"
      << "    unit_id: " << d << "\n"
      << "    response_timeout: " << c.response_timeout << "\n"
      << "    poll_interval: " << c.poll_interval << "\n"
      << "    debounce: " << c.debounce << "\n"
      << "    reconnect_min: 200ms\n"
      << "    reconnect_max: 2s\n"
      << "    points:\n"
      << "      trailer_present: {source: discrete_input, address: 0}\n"
      << "      door_open: {source: discrete_input, address: 1}\n";
  }
  y << "buffer:\n"
    << "  path: " << c.db_path << "\n"
    << "uplink:\n"
    << "  mqtt:\n"
    << "    uri: tcp://127.0.0.1:" << c.broker_port << "\n"
    << "    keepalive: 10s\n"
    << "    reconnect_min: 100ms\n"
    << "    reconnect_max: 1s\n"
    << "log:\n"
    << "  level: info\n";
  return y.str();
}

}  // namespace dockgate::bench

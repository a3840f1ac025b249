// SPDX-License-Identifier: Apache-2.0
// The agent config of bench/modbus_bench: N inbound dock doors door-01..door-NN, each a
// `type: modbus` driver entry on the one Modbus TCP server (127.0.0.1:port) at unit id 1..N
// (trailer present = discrete input 0, door open = discrete input 1). All entries share the
// endpoint, so the agent polls them over one connection from one worker thread.
#pragma once

#include <cstdint>
#include <string>

namespace dockgate::bench {

inline constexpr const char* kModbusEventsTopic = "dockgate/hub-bench/gw-modbus/events";

struct ModbusAgentYaml {
  int doors = 1;                        ///< 1..247 (the Modbus unit id range)
  std::uint16_t modbus_port = 0;        ///< the door server on 127.0.0.1
  std::uint16_t broker_port = 0;        ///< mosquitto on 127.0.0.1
  std::string db_path;                  ///< buffer.path
  std::string poll_interval = "100ms";  ///< every door's poll_interval
  std::string debounce = "0ms";         ///< every point's debounce
  std::string response_timeout = "500ms";
};

/// "door-07" for door 7 (two digits up to 99, three beyond).
std::string door_name(int door);

/// The YAML text (site hub-bench, gateway gw-modbus, log level info, buffer.sync default
/// full). Throws std::invalid_argument when `doors` is outside 1..247.
std::string modbus_agent_yaml(const ModbusAgentYaml& c);

}  // namespace dockgate::bench

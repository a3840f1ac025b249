// SPDX-License-Identifier: Apache-2.0
// The Node-RED side of bench/modbus_bench: writes a flow from bench/node-red/flow-template.json
// for N doors (same Modbus server, unit ids, points, poll rate and broker as the agent) and
// runs Node-RED 4 (installed by bench/node-red/setup) as a child process.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include "tests/support/subprocess.hpp"
#include "tests/support/temp_dir.hpp"

namespace dockgate::bench {

inline constexpr const char* kNodeRedEventsTopic = "nodered/bench/events";

struct NodeRedFlow {
  int doors = 1;                  ///< 1..247: unit ids 1..doors
  std::uint16_t modbus_port = 0;  ///< the door server on 127.0.0.1
  std::uint16_t broker_port = 0;  ///< mosquitto on 127.0.0.1
  int poll_ms = 100;              ///< every modbus-read node's rate
};

/// The flow JSON (an array of nodes) from the template text. Throws std::runtime_error when
/// the template is not the expected {"shared": [...], "door": [...]} JSON.
std::string node_red_flow(const std::string& template_text, const NodeRedFlow& f);

class NodeRedProcess {
 public:
  /// Writes settings.js (editor on a free loopback port, no telemetry, no update check) and
  /// flows.json into `dir`; `install_dir` holds node_modules/node-red (bench/node-red/setup).
  /// Throws std::runtime_error when Node-RED is not installed there.
  NodeRedProcess(const test::TempDir& dir, const std::string& install_dir,
                 const std::string& flow_json);
  /// Kills Node-RED if still running. Never throws.
  ~NodeRedProcess();
  NodeRedProcess(const NodeRedProcess&) = delete;
  NodeRedProcess& operator=(const NodeRedProcess&) = delete;

  /// `node <install_dir>/node_modules/node-red/red.js --userDir <dir> --settings ...`.
  void start();
  /// SIGTERM, wait up to 10 s. Returns "exit 0" etc.
  std::string stop();
  [[nodiscard]] pid_t pid() const;
  [[nodiscard]] bool running();
  /// Node-RED's console output so far.
  [[nodiscard]] std::string log() const;
  /// node-red and node-red-contrib-modbus versions, e.g. "node-red 4.1.15, ...".
  [[nodiscard]] std::string versions() const;

 private:
  std::string dir_;
  std::string install_dir_;
  std::string log_path_;
  std::unique_ptr<test::Subprocess> process_;
};

}  // namespace dockgate::bench

// SPDX-License-Identifier: Apache-2.0
// Runs tests/drivers/modbus/pymodbus_door_sim.py (pymodbus TCP server) as a child process
// and talks to it over its stdin/stdout: one command line in, one answer line out.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace dockgate::drivers::test {

class DoorSimProcess {
 public:
  /// Starts /usr/bin/python3 pymodbus_door_sim.py --port `port` plus `extra_args` and waits
  /// (up to 10 s) for its "ready" line. Throws std::runtime_error (with its stderr) on failure.
  DoorSimProcess(std::uint16_t port, const std::vector<std::string>& extra_args);
  /// Sends "quit", waits briefly, then SIGKILL; reaps the child.
  ~DoorSimProcess();
  DoorSimProcess(const DoorSimProcess&) = delete;
  DoorSimProcess& operator=(const DoorSimProcess&) = delete;

  /// Sends one command and returns its answer line (without newline). Throws on timeout.
  std::string command(const std::string& line,
                      std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  std::string read_line(std::chrono::milliseconds timeout);
  void shutdown();

  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  std::string stderr_path_;
  std::string buffer_;
};

}  // namespace dockgate::drivers::test

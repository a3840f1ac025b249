// SPDX-License-Identifier: Apache-2.0
// A real Modbus RTU server for tests: libmodbus on one end of a socat pty pair, on a thread
// of the test process, answering one unit id (requests to other units get no answer, like
// an absent device on an RS-485 line). Requests are cut into 8-byte frames (every request
// the driver sends, functions 1-5, has that length) and answered with modbus_reply().
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

// libmodbus' own type names, declared here to keep <modbus.h> out of this header.
struct _modbus;            // NOLINT(bugprone-reserved-identifier)
struct _modbus_mapping_t;  // NOLINT(bugprone-reserved-identifier)

namespace dockgate::drivers::test {

class LibmodbusRtuServer {
 public:
  /// Opens `device` (9600 8N1) and serves `unit`. Throws std::runtime_error on failure.
  LibmodbusRtuServer(const std::string& device, int unit);
  ~LibmodbusRtuServer();
  LibmodbusRtuServer(const LibmodbusRtuServer&) = delete;
  LibmodbusRtuServer& operator=(const LibmodbusRtuServer&) = delete;

  void set_discrete_input(int address, bool value);
  [[nodiscard]] bool coil(int address);
  /// Requests for this unit answered so far.
  [[nodiscard]] int answered() const { return answered_; }
  /// Requests for other units seen (and left unanswered) so far.
  [[nodiscard]] int ignored() const { return ignored_; }

 private:
  void serve();

  int unit_;
  _modbus* ctx_ = nullptr;
  _modbus_mapping_t* mapping_ = nullptr;
  int wake_[2] = {-1, -1};
  std::thread thread_;
  std::mutex mutex_;
  std::atomic<int> answered_{0};
  std::atomic<int> ignored_{0};
};

}  // namespace dockgate::drivers::test

// SPDX-License-Identifier: Apache-2.0
// A real Modbus TCP server for tests: libmodbus (modbus_tcp_listen, modbus_receive,
// modbus_reply) on a thread of the test process, on 127.0.0.1. Each unit id has its own
// data (created on first use: 64 coils, 64 discrete inputs, 16 holding and 16 input
// registers, addresses from 0). It counts accepted connections and requests, can stop
// answering (mute) and can be stopped and started again on the same port.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

// libmodbus' own type names, declared here to keep <modbus.h> out of this header.
struct _modbus;            // NOLINT(bugprone-reserved-identifier)
struct _modbus_mapping_t;  // NOLINT(bugprone-reserved-identifier)

namespace dockgate::drivers::test {

class LibmodbusTcpServer {
 public:
  /// Listens on 127.0.0.1:`port` and serves. Throws std::runtime_error when it cannot listen.
  explicit LibmodbusTcpServer(std::uint16_t port);
  ~LibmodbusTcpServer();
  LibmodbusTcpServer(const LibmodbusTcpServer&) = delete;
  LibmodbusTcpServer& operator=(const LibmodbusTcpServer&) = delete;

  /// Closes the listener and every connection (clients see the connection reset / refused).
  void stop();
  /// Listens again on the same port (the data is kept). Throws when it cannot listen.
  void start();

  void set_discrete_input(int unit, int address, bool value);
  void set_coil(int unit, int address, bool value);
  void set_holding_register(int unit, int address, std::uint16_t value);
  void set_input_register(int unit, int address, std::uint16_t value);
  [[nodiscard]] bool coil(int unit, int address);

  /// Answers every request with Modbus function code `function` (0 = any) with exception
  /// `code` (modbus_reply_exception) instead of serving it; code 0 serves normally again.
  void set_exception(int function, int code) {
    refuse_function_ = function;
    refuse_code_ = code;
  }
  /// true: requests are read but never answered (a hung device).
  void set_mute(bool mute) { mute_ = mute; }
  /// Connections accepted since construction.
  [[nodiscard]] int connections() const { return connections_; }
  /// Requests received since construction (answered or not).
  [[nodiscard]] int requests() const { return requests_; }
  /// Coil writes (function 5) received since construction.
  [[nodiscard]] int coil_writes() const { return coil_writes_; }

 private:
  void serve();
  _modbus_mapping_t* mapping(int unit);  // with mutex_ held

  std::uint16_t port_;
  _modbus* ctx_ = nullptr;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::thread thread_;
  std::mutex mutex_;  // guards the mappings
  std::map<int, _modbus_mapping_t*> mappings_;
  std::atomic<bool> mute_{false};
  std::atomic<int> refuse_function_{0};
  std::atomic<int> refuse_code_{0};
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  std::atomic<int> coil_writes_{0};
};

}  // namespace dockgate::drivers::test

// SPDX-License-Identifier: Apache-2.0
// The bus part of a modbus entry: where the device is (TCP endpoint or serial line) and the
// settings every door on that bus must share. Entries with the same endpoint share one bus
// (one connection, one worker thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace dockgate::drivers {

enum class ModbusTransport { tcp, rtu };

/// One Modbus TCP connection or RTU serial line.
struct ModbusBusOptions {
  ModbusTransport transport = ModbusTransport::tcp;
  std::string host;           ///< tcp: host name or IP address
  std::uint16_t port = 502;   ///< tcp: server port (Modbus/TCP default 502)
  std::string device;         ///< rtu: serial device, e.g. /dev/ttyUSB0
  std::uint32_t baud = 9600;  ///< rtu: bit/s, one of the rates libmodbus 3.1.6 can set
  char parity = 'N';          ///< rtu: 'N', 'E' or 'O'
  int data_bits = 8;          ///< rtu: 7 or 8
  int stop_bits = 1;          ///< rtu: 1 or 2
  /// Wait for one response (and for a TCP connect); libmodbus response timeout.
  std::chrono::milliseconds response_timeout{500};
  std::chrono::milliseconds reconnect_min{1000};  ///< first reconnect delay (doubles, jitter)
  std::chrono::milliseconds reconnect_max{30'000};
};

/// Identity of the bus, used to share it: "modbus-tcp:host:port" or "modbus-rtu:/dev/ttyUSB0".
std::string bus_key(const ModbusBusOptions& bus);

/// For logs, status details and device ids: "modbus-tcp://10.0.0.5:502" (IPv6 literal in
/// brackets) or "modbus-rtu:///dev/ttyUSB0".
std::string bus_uri(const ModbusBusOptions& bus);

/// Serial line as people write it: "9600 8N1" (RTU only).
std::string serial_line(const ModbusBusOptions& bus);

/// Bus settings that entries sharing the bus must agree on, as "key=value" pairs joined by
/// ';' in a fixed order (tcp: response_timeout, reconnect_min, reconnect_max; rtu adds baud,
/// parity, data_bits, stop_bits first). Stored in ReadContext::claims.
std::string bus_fingerprint(const ModbusBusOptions& bus);

/// True for a baud rate libmodbus 3.1.6 sets on Linux (it silently uses 9600 for others).
bool is_modbus_baud(std::uint32_t baud);

}  // namespace dockgate::drivers

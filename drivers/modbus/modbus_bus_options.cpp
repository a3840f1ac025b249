// SPDX-License-Identifier: Apache-2.0
#include "drivers/modbus/modbus_bus_options.hpp"

#include <algorithm>
#include <array>

namespace dockgate::drivers {
namespace {

// The Linux branch of _modbus_rtu_connect() in libmodbus 3.1.6 (modbus-rtu.c): any other rate
// falls back to 9600 without an error, so the config must refuse it.
constexpr std::array<std::uint32_t, 23> kModbusBaudRates{
    110,     300,     600,     1200,    2400,    4800,    9600,   19200,
    38400,   57600,   115200,  230400,  460800,  500000,  576000, 921600,
    1000000, 1152000, 1500000, 2500000, 3000000, 3500000, 4000000};

std::string duration_text(std::chrono::milliseconds d) {
  const auto ms = d.count();
  if (ms != 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms != 0 && ms % 1'000 == 0) return std::to_string(ms / 1'000) + "s";
  return std::to_string(ms) + "ms";
}

std::string host_text(const std::string& host) {
  // An IPv6 literal needs brackets before ":port".
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

std::string bus_key(const ModbusBusOptions& bus) {
  if (bus.transport == ModbusTransport::rtu) return "modbus-rtu:" + bus.device;
  return "modbus-tcp:" + host_text(bus.host) + ":" + std::to_string(bus.port);
}

std::string bus_uri(const ModbusBusOptions& bus) {
  if (bus.transport == ModbusTransport::rtu) return "modbus-rtu://" + bus.device;
  return "modbus-tcp://" + host_text(bus.host) + ":" + std::to_string(bus.port);
}

std::string serial_line(const ModbusBusOptions& bus) {
  return std::to_string(bus.baud) + " " + std::to_string(bus.data_bits) + bus.parity +
         std::to_string(bus.stop_bits);
}

std::string bus_fingerprint(const ModbusBusOptions& bus) {
  std::string out;
  if (bus.transport == ModbusTransport::rtu) {
    const char* parity = bus.parity == 'E' ? "even" : bus.parity == 'O' ? "odd" : "none";
    out += "baud=" + std::to_string(bus.baud) + ";parity=" + parity +
           ";data_bits=" + std::to_string(bus.data_bits) +
           ";stop_bits=" + std::to_string(bus.stop_bits) + ";";
  }
  out += "response_timeout=" + duration_text(bus.response_timeout) +
         ";reconnect_min=" + duration_text(bus.reconnect_min) +
         ";reconnect_max=" + duration_text(bus.reconnect_max);
  return out;
}

bool is_modbus_baud(std::uint32_t baud) {
  return std::find(kModbusBaudRates.begin(), kModbusBaudRates.end(), baud) !=
         kModbusBaudRates.end();
}

}  // namespace dockgate::drivers

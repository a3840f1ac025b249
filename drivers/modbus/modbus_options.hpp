// SPDX-License-Identifier: Apache-2.0
// Settings of a `type: modbus` driver (one dock door's sensors and signal tower on a Modbus
// TCP or RTU device) and their config keys. See drivers/modbus/README.md.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "config/map_reader.hpp"
#include "drivers/modbus/modbus_bus_options.hpp"

namespace dockgate::drivers {

/// Modbus data model tables (Modbus Application Protocol V1.1b3, section 4.3).
enum class PointSource { coil, discrete_input, holding_register, input_register };

/// One boolean sensor point of a door, e.g. the trailer sensor on discrete input 0.
struct ModbusPoint {
  std::string name;  ///< DockSignal.point: "trailer_present", "door_open" or a site name
  PointSource source = PointSource::discrete_input;
  std::uint16_t address = 0;             ///< 0-based protocol address (0..65535)
  int bit = -1;                          ///< registers: bit 0 (LSB) .. 15; coils/inputs: -1
  bool invert = false;                   ///< true: a 0 on the wire means active
  std::chrono::milliseconds debounce{};  ///< resolved: the point's own value or the entry's
};

/// One signal-tower output: a coil switched on for `pulse`, then off again.
struct ModbusOutput {
  bool configured = false;
  std::uint16_t coil = 0;  ///< 0-based coil address
  std::chrono::milliseconds pulse{1000};
  /// red / buzzer only: stay on (instead of `pulse`) until the next green at the door (a
  /// correct read) or the door's `acknowledge` point becomes active; at most kMaxHold.
  bool hold = false;
};

/// The point name whose activation (a push button at the door) switches held outputs off.
inline constexpr const char* kAcknowledgePoint = "acknowledge";
/// A held output goes off by itself after this, whatever happens (a forgotten alarm must
/// not light a door for days).
inline constexpr std::chrono::milliseconds kMaxHold{3'600'000};

/// One dock door on a Modbus device (a `drivers[]` entry of type modbus).
struct ModbusOptions {
  ModbusBusOptions bus;
  int unit_id = 1;  ///< RTU 1..247; TCP 0..247 or 255 (libmodbus 3.1.6 rejects 248..254)
  std::chrono::milliseconds poll_interval{200};  ///< time between reads of this door's points
  std::chrono::milliseconds debounce{500};       ///< default hold time of a new point value
  std::vector<ModbusPoint> points;               ///< at least one, in config order
  /// Indexed by FeedbackSignal (green, red, buzzer); default pulses 1 s, 3 s, 500 ms.
  std::array<ModbusOutput, 3> outputs{ModbusOutput{false, 0, std::chrono::milliseconds(1000)},
                                      ModbusOutput{false, 0, std::chrono::milliseconds(3000)},
                                      ModbusOutput{false, 0, std::chrono::milliseconds(500)}};
};

/// Most points one entry may declare.
inline constexpr std::size_t kMaxModbusPoints = 64;

/// Reads the entry's keys (transport, host, port, device, baud, parity, data_bits, stop_bits,
/// unit_id, response_timeout, poll_interval, debounce, reconnect_min, reconnect_max, points,
/// outputs) into `out`. Errors go to the reader's context with file/line/column/key path;
/// entries sharing a bus with different bus settings are reported through
/// ReadContext::claims. Returns false when any key was missing or invalid.
bool read_modbus_options(config::MapReader& keys, ModbusOptions& out);

/// "coil", "discrete_input", "holding_register", "input_register".
const char* to_string(PointSource source);

/// True for holding_register and input_register (16-bit words: a point needs `bit`).
inline bool is_register(PointSource s) {
  return s == PointSource::holding_register || s == PointSource::input_register;
}

}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
// Settings of a `type: serial_scanner` driver and their config keys.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "config/map_reader.hpp"
#include "drivers/framing/framing_options.hpp"

namespace dockgate::drivers {

enum class Parity { none, even, odd };
enum class FlowControl { none, hardware, software };

/// One serial scanner (RS-232, or USB in CDC-ACM / virtual COM port mode).
struct SerialOptions {
  std::string device;         ///< e.g. /dev/ttyUSB0 or /dev/serial/by-id/usb-...-port0
  std::uint32_t baud = 9600;  ///< one of kSerialBaudRates
  Parity parity = Parity::none;
  int data_bits = 8;                             ///< 7 or 8
  int stop_bits = 1;                             ///< 1 or 2
  FlowControl flow_control = FlowControl::none;  ///< hardware = RTS/CTS, software = XON/XOFF
  FramingOptions framing;
  std::chrono::milliseconds reopen_min{500};     ///< first retry delay after a failed open
  std::chrono::milliseconds reopen_max{30'000};  ///< cap of the doubling retry delay
};

/// Reads the driver's keys (device, baud, parity, data_bits, stop_bits, flow_control,
/// framing keys, reopen_min, reopen_max) into `out`; errors go to the reader's context
/// with file/line/column/key path. Returns false when any key was missing or invalid.
bool read_serial_options(config::MapReader& keys, SerialOptions& out);

/// Line settings as people write them: "9600 8N1", "19200 7E2".
std::string line_settings(const SerialOptions& options);

/// True when `baud` is a rate the Linux termios API can set (B50 ... B4000000).
bool is_supported_baud(std::uint32_t baud);

}  // namespace dockgate::drivers

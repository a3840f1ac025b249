// SPDX-License-Identifier: Apache-2.0
// `type: serial_scanner`: a barcode scanner on a serial line (RS-232 or USB virtual COM port)
// that sends one scan per line. See drivers/serial_scanner/README.md.
#pragma once

#include <memory>

#include "drivers/common/session_driver.hpp"
#include "drivers/serial_scanner/serial_options.hpp"

namespace dockgate::drivers {

/// Opens the device exclusively (flock + TIOCEXCL), reads asynchronously, frames lines and
/// reports each frame; on a missing device, unplug or read error it reports the device down
/// and reopens with exponential backoff (reopen_min .. reopen_max), reporting up again with
/// the line settings ("/dev/ttyUSB0 9600 8N1"). Single-threaded io_context assumed.
class SerialScanner final : public SessionDriver {
 public:
  SerialScanner(const DriverContext& context, SerialOptions options);
  // Destroying it: Closes the port without reporting to the sink (the owner calls stop() first).
  // stop(): Closes the port and cancels the reopen timer; reports down ("stopped") if it was up.

 private:
  class Session;  // state shared with pending handlers, so they outlive a destroyed driver
};

/// Registry entry: name "serial_scanner", its help line and key parser.
DriverType serial_scanner_type();

}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
// `type: modbus`: one dock door's sensors (trailer present, door open, ...) and signal tower
// on a Modbus TCP or RTU device. See drivers/modbus/README.md.
#pragma once

#include <memory>

#include "drivers/common/session_driver.hpp"
#include "drivers/modbus/modbus_options.hpp"

namespace dockgate::drivers {

/// Polls the door's points through the shared bus for its endpoint (one worker thread and
/// connection per bus, see bus_registry.hpp) and reports on the io_context thread:
///  - DeviceStatus up ("modbus-tcp://10.0.0.5:502 unit 1") after the first good read, down
///    with the reason once per outage (connect failure, timeout, lost connection, Modbus
///    exception such as "illegal data address: read discrete inputs 100..101 at unit 1 ...");
///  - DockSignal for every point with initial=true right after each good first read (no
///    debounce), then one per debounced change, stamped with the time it was first seen.
/// feedback() pulses the configured output coil (dropped while the bus is down).
class ModbusDriver final : public SessionDriver {
 public:
  ModbusDriver(const DriverContext& context, ModbusOptions options);
  // Destroying it: Stops without reporting to the sink (the owner calls stop() first).
  // stop(): Leaves the bus (the last door on a bus waits for the request in flight, at most about
  // response_timeout, and switches pulsed coils off); reports down ("... stopped") if up.
  // feedback(): Pulses the output for request.signal when request.location_id is this door's and
  // the output is configured; never blocks.

 private:
  class Session;  // shared with the bus link, so late results find a destroyed driver gone
};

/// Registry entry: name "modbus", its help line and key parser.
DriverType modbus_type();

/// "modbus-tcp://host:port/unit/N" or "modbus-rtu:///dev/ttyUSB0/unit/N" (DockSignal.device_id).
std::string modbus_device_id(const ModbusBusOptions& bus, int unit);

}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
// Process-wide table of open Modbus buses: the first door started on an endpoint creates
// its bus, later doors join it, the last door to stop closes it. Doors built from one config
// file always agree on the bus settings (the parser checks); if doors from different sources
// disagree, the first one's settings stay in force and a warning is logged.
#pragma once

#include <memory>

#include "drivers/modbus/door_link.hpp"
#include "drivers/modbus/modbus_bus.hpp"

namespace dockgate::drivers {

/// Attaches `door` to the bus for `options` (by bus_key), creating it when none is open.
/// Thread-safe.
std::shared_ptr<ModbusBus> attach_to_bus(const ModbusBusOptions& options,
                                         std::shared_ptr<DoorLink> door);

/// Detaches `door` from `bus`; when it was the last door the bus leaves the table and is
/// shut down (blocks up to about response_timeout for the request in flight). Thread-safe.
void detach_from_bus(const std::shared_ptr<ModbusBus>& bus, const std::shared_ptr<DoorLink>& door);

/// Number of open buses (for tests and diagnostics).
std::size_t open_bus_count();

}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
// Parsing of the `points:` and `outputs:` mappings of a modbus entry (used by
// read_modbus_options; split out to keep each file to one job).
#pragma once

#include "config/map_reader.hpp"
#include "drivers/modbus/modbus_options.hpp"

namespace dockgate::drivers::detail {

/// Reads `points:` (name -> {source, address, bit, invert, debounce}) into out.points; a
/// point without `debounce` gets out.debounce, so read that first. Declares the point keys
/// under "<points>.<name>" when the context collects reference docs. Returns false on error.
bool read_modbus_points(config::MapReader& keys, ModbusOptions& out);

/// Reads `outputs:` ({green, red, buzzer} -> {coil, pulse}) into out.outputs.
bool read_modbus_outputs(config::MapReader& keys, ModbusOptions& out);

}  // namespace dockgate::drivers::detail

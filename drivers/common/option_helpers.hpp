// SPDX-License-Identifier: Apache-2.0
// Small config readers shared by driver option parsers.
#pragma once

#include "config/map_reader.hpp"

namespace dockgate::drivers {

/// Reads optional integer `key` that must be `a` or `b` (data bits 7/8, stop bits 1/2).
/// Keeps `out` when the key is absent. Records "must be A or B, got V" at the key and
/// returns false on a bad value (or a wrong type, reported by the reader).
bool read_int_choice(config::MapReader& keys, const char* key, int& out, int a, int b,
                     const char* help);

}  // namespace dockgate::drivers

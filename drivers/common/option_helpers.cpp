// SPDX-License-Identifier: Apache-2.0
#include "drivers/common/option_helpers.hpp"

#include <string>

namespace dockgate::drivers {

bool read_int_choice(config::MapReader& keys, const char* key, int& out, int a, int b,
                     const char* help) {
  int value = out;
  if (!keys.optional(key, value, help)) return !keys.has(key);
  if (value != a && value != b) {
    keys.error(key, "must be " + std::to_string(a) + " or " + std::to_string(b) + ", got " +
                        std::to_string(value));
    return false;
  }
  out = value;
  return true;
}

}  // namespace dockgate::drivers

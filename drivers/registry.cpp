// SPDX-License-Identifier: Apache-2.0
// The explicit table of driver types. Adding a driver = one line here (no static
// self-registration, so the link order can never drop a driver silently).
#include <algorithm>

#include "drivers/camera/camera.hpp"
#include "drivers/driver.hpp"
#include "drivers/hid_scanner/hid_scanner.hpp"
#include "drivers/llrp/llrp_driver.hpp"
#include "drivers/modbus/modbus_driver.hpp"
#include "drivers/serial_scanner/serial_scanner.hpp"
#include "drivers/tcp_scanner/tcp_scanner.hpp"

namespace dockgate::drivers {

const std::vector<DriverType>& driver_types() {
  static const std::vector<DriverType> types{
      serial_scanner_type(), hid_scanner_type(), tcp_scanner_type(),
      camera_type(),         modbus_type(),      llrp_type(),
  };
  return types;
}

const DriverType* find_driver_type(std::string_view name) {
  const auto& types = driver_types();
  auto it = std::find_if(types.begin(), types.end(),
                         [name](const DriverType& t) { return t.name == name; });
  return it == types.end() ? nullptr : &*it;
}

}  // namespace dockgate::drivers

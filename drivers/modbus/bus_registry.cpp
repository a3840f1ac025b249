// SPDX-License-Identifier: Apache-2.0
#include "drivers/modbus/bus_registry.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <mutex>
#include <string>

namespace dockgate::drivers {
namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<ModbusBus>> buses;  // bus_key -> bus
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

std::shared_ptr<ModbusBus> attach_to_bus(const ModbusBusOptions& options,
                                         std::shared_ptr<DoorLink> door) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  const std::string key = bus_key(options);
  auto& bus = r.buses[key];
  if (!bus) {
    bus = std::make_shared<ModbusBus>(options);
  } else if (bus_fingerprint(bus->options()) != bus_fingerprint(options)) {
    spdlog::warn(
        "modbus {}: a door with other bus settings ({}) joins the bus opened with {}; "
        "the bus keeps its settings",
        bus_uri(options), bus_fingerprint(options), bus_fingerprint(bus->options()));
  }
  bus->attach(std::move(door));
  return bus;
}

void detach_from_bus(const std::shared_ptr<ModbusBus>& bus, const std::shared_ptr<DoorLink>& door) {
  if (!bus) return;
  Registry& r = registry();
  {
    std::lock_guard lock(r.mutex);
    if (bus->detach(door) > 0) return;
    auto it = r.buses.find(bus_key(bus->options()));
    if (it != r.buses.end() && it->second == bus) r.buses.erase(it);
  }
  // Outside the table lock: joining may wait for a request in flight.
  bus->shutdown();
}

std::size_t open_bus_count() {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  return r.buses.size();
}

}  // namespace dockgate::drivers

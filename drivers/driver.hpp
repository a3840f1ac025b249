// SPDX-License-Identifier: Apache-2.0
// The driver interface: a device kind that produces reads. Drivers run their I/O on the
// agent's io_context and report through a ReadSink; they know nothing of SQLite or MQTT.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/scan_read.hpp"
#include "config/map_reader.hpp"

namespace dockgate::drivers {

/// Lifecycle: constructed by its factory, start() once, stop() once (also from the
/// destructor's owner before destruction). Neither blocks; both run on the io_context thread.
class Driver {
 public:
  virtual ~Driver() = default;
  /// Opens the device (or schedules the first attempt) and begins reading. A device that
  /// is absent is not an error here: the driver reports it down and retries with backoff.
  virtual void start() = 0;
  /// Stops reading, cancels timers and closes the device. Complete frames already
  /// received are delivered to the sink before stop() returns; partial frames are dropped.
  virtual void stop() = 0;
  /// Signal-tower feedback for a door (green after a committed scan, red on an exception).
  /// Drivers without outputs, or without this door, ignore it. Must not block: drivers
  /// with blocking I/O queue the write on their own worker.
  virtual void feedback(const Feedback& /*request*/) {}
};

/// What every driver gets besides its own keys.
struct DriverContext {
  boost::asio::io_context& io;
  ReadSink& sink;
  std::string id;           ///< drivers[].id
  std::string location_id;  ///< drivers[].location
};

/// Builds a driver from already-validated settings (captured when the config was read).
using DriverFactory = std::function<std::unique_ptr<Driver>(const DriverContext&)>;

/// One registered driver type: its `type:` name, a one-line description, and a parser that
/// reads the driver's own keys (errors go to the reader's context) and returns a factory.
/// The parser must declare every key it accepts, call reader.finish() is NOT its job (the
/// caller finishes after id/type/location are consumed).
struct DriverType {
  std::string_view name;
  std::string_view help;
  std::function<DriverFactory(config::MapReader& keys)> parse;
  /// The driver reports dock sensors (DockSignal): its location gets dock sessions, and a
  /// scan there without an open session is flagged.
  bool dock_sensor = false;
};

/// The explicit table of driver types (drivers/registry.cpp). No static self-registration.
const std::vector<DriverType>& driver_types();

/// Looks up a type by name; nullptr when unknown.
const DriverType* find_driver_type(std::string_view name);

}  // namespace dockgate::drivers

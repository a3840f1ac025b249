// SPDX-License-Identifier: Apache-2.0
// Hands framer output and device state changes to the ReadSink, stamped with the driver's
// id and location. One per driver; used on the io_context thread only.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "agent/scan_read.hpp"
#include "drivers/framing/line_framer.hpp"

namespace dockgate::drivers {

class ReadReporter {
 public:
  ReadReporter(ReadSink& sink, std::string driver_id, std::string location_id);

  /// Sends every item of `outputs` in order (reads to on_read, errors to on_read_error,
  /// also logged at warn) after filling in driver_id / location_id; clears `outputs`.
  void deliver(std::vector<FramerOutput>& outputs);

  /// Sends a ReadError of `kind` stamped now (UTC ms), logged at warn: a device-side problem
  /// that is not a frame, e.g. "connection_refused". It becomes an exception event.
  /// `fields`: further string fields of the exception event (ReadError::fields).
  void error(std::string kind, std::string message, std::string data = {},
             std::vector<std::pair<std::string, std::string>> fields = {});

  /// Sends a DeviceStatus stamped now (UTC ms) and logs it (info when up, warn when down).
  void status(bool up, std::string detail);

  /// Asks the sink before the next read (ReadSink::ready_for_reads): true = read now; false
  /// = `resume` runs on the io thread once the agent has caught up (then read from there).
  [[nodiscard]] bool ready(std::function<void()> resume) {
    return sink_.ready_for_reads(std::move(resume));
  }

  [[nodiscard]] const std::string& driver_id() const { return driver_id_; }

 private:
  ReadSink& sink_;
  std::string driver_id_;
  std::string location_id_;
};

}  // namespace dockgate::drivers

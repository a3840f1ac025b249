// SPDX-License-Identifier: Apache-2.0
#include "drivers/common/read_reporter.hpp"

#include <spdlog/spdlog.h>

#include <utility>

#include "agent/clock.hpp"

namespace dockgate::drivers {

ReadReporter::ReadReporter(ReadSink& sink, std::string driver_id, std::string location_id)
    : sink_(sink), driver_id_(std::move(driver_id)), location_id_(std::move(location_id)) {}

void ReadReporter::deliver(std::vector<FramerOutput>& outputs) {
  for (auto& item : outputs) {
    if (auto* read = std::get_if<ScanRead>(&item)) {
      read->driver_id = driver_id_;
      read->location_id = location_id_;
      sink_.on_read(std::move(*read));
    } else {
      auto& error = std::get<ReadError>(item);
      error.driver_id = driver_id_;
      error.location_id = location_id_;
      spdlog::warn("driver {}: {}: {}", driver_id_, error.kind, error.message);
      sink_.on_read_error(std::move(error));
    }
  }
  outputs.clear();
}

void ReadReporter::error(std::string kind, std::string message, std::string data,
                         std::vector<std::pair<std::string, std::string>> fields) {
  ReadError error;
  error.driver_id = driver_id_;
  error.location_id = location_id_;
  error.time_ms = now_utc_ms();
  error.kind = std::move(kind);
  error.message = std::move(message);
  error.data = std::move(data);
  error.fields = std::move(fields);
  spdlog::warn("driver {}: {}: {}", driver_id_, error.kind, error.message);
  sink_.on_read_error(std::move(error));
}

void ReadReporter::status(bool up, std::string detail) {
  if (up) {
    spdlog::info("driver {}: up: {}", driver_id_, detail);
  } else {
    spdlog::warn("driver {}: down: {}", driver_id_, detail);
  }
  DeviceStatus s;
  s.driver_id = driver_id_;
  s.location_id = location_id_;
  s.time_ms = now_utc_ms();
  s.up = up;
  s.detail = std::move(detail);
  sink_.on_device_status(std::move(s));
}

}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
// Shared helpers of the modbus driver tests: door options built in code, a running io_context
// for a fixed time, and signal lookups.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "drivers/modbus/modbus_options.hpp"
#include "tests/drivers/test_sink.hpp"

namespace dockgate::drivers::test {

using std::chrono::milliseconds;

inline ModbusPoint point(std::string name, PointSource source, std::uint16_t address,
                         milliseconds debounce, int bit = -1, bool invert = false) {
  ModbusPoint p;
  p.name = std::move(name);
  p.source = source;
  p.address = address;
  p.bit = bit;
  p.invert = invert;
  p.debounce = debounce;
  return p;
}

/// A TCP door on 127.0.0.1:`port` polled every 20 ms, quick retries (50..200 ms).
inline ModbusOptions tcp_door(std::uint16_t port, int unit, std::vector<ModbusPoint> points) {
  ModbusOptions o;
  o.bus.transport = ModbusTransport::tcp;
  o.bus.host = "127.0.0.1";
  o.bus.port = port;
  o.bus.response_timeout = milliseconds(300);
  o.bus.reconnect_min = milliseconds(50);
  o.bus.reconnect_max = milliseconds(200);
  o.unit_id = unit;
  o.poll_interval = milliseconds(20);
  o.points = std::move(points);
  return o;
}

/// Runs `io` for `duration` (handlers run as they become ready).
inline void run_for(boost::asio::io_context& io, milliseconds duration) {
  const auto until = std::chrono::steady_clock::now() + duration;
  run_until(
      io, [&] { return std::chrono::steady_clock::now() >= until; }, duration + milliseconds(1000));
}

/// Signals for `point` (in arrival order).
inline std::vector<DockSignal> signals_for(const RecordingSink& sink, const std::string& point) {
  std::vector<DockSignal> out;
  for (const auto& s : sink.signals) {
    if (s.point == point) out.push_back(s);
  }
  return out;
}

}  // namespace dockgate::drivers::test

// SPDX-License-Identifier: Apache-2.0
// One libmodbus context (TCP connection or RTU serial line), used by one bus worker thread
// only. Every call blocks for at most about response_timeout (a TCP connect to a host name
// also waits for name resolution). Error recovery stays MODBUS_ERROR_RECOVERY_NONE: with
// RECOVERY_LINK libmodbus 3.1.6 can loop forever; the bus worker reconnects itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "drivers/modbus/modbus_bus_options.hpp"
#include "drivers/modbus/modbus_errors.hpp"
#include "drivers/modbus/read_plan.hpp"

// libmodbus' own type names (modbus_t), declared here to keep <modbus.h> out of this header.
struct _modbus;  // NOLINT(bugprone-reserved-identifier)

namespace dockgate::drivers {

/// A failed request: its kind, the errno libmodbus left, and errno_text(err).
struct LinkFailure {
  FailureKind kind = FailureKind::link;
  int err = 0;
  std::string text;
};

class ModbusLink {
 public:
  explicit ModbusLink(ModbusBusOptions options);
  ~ModbusLink();
  ModbusLink(const ModbusLink&) = delete;
  ModbusLink& operator=(const ModbusLink&) = delete;

  /// TCP: connects. RTU: opens the device and locks it (flock + TIOCEXCL, so neither a second
  /// dockgate nor a terminal program can use the line at the same time). Returns nullopt on
  /// success, else why, e.g. "connect failed: Connection refused", "connect failed: no
  /// answer within 500 ms", "cannot resolve host 'plc7': Name or service not known",
  /// "open failed: No such file or directory (not plugged in?)".
  std::optional<std::string> open();
  /// Closes the connection / device; no-op when closed.
  void close();
  [[nodiscard]] bool is_open() const { return open_; }

  /// Reads `group` from `unit` into `out` (group.count words: 0/1 per bit or register values).
  std::optional<LinkFailure> read(int unit, const ReadGroup& group,
                                  std::vector<std::uint16_t>& out);
  /// Writes one coil (function 5) at `unit`.
  std::optional<LinkFailure> write_coil(int unit, std::uint16_t address, bool on);
  /// Drops unread input, so that a late answer is not taken for the next request (RTU, after
  /// a timeout or a garbled answer).
  void flush();

 private:
  std::optional<LinkFailure> select_unit(int unit);
  std::string connect_failure(int err) const;

  ModbusBusOptions options_;
  _modbus* ctx_ = nullptr;
  bool open_ = false;
  std::vector<std::uint8_t> bits_;
};

}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
// Which requests read a door's points: one request per table and run of contiguous
// addresses (within the protocol's per-request limits), and how point values are taken from
// the answers. Pure logic, no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "drivers/modbus/modbus_options.hpp"

namespace dockgate::drivers {

/// One read request: `count` consecutive addresses of one table starting at `start`.
struct ReadGroup {
  PointSource source = PointSource::discrete_input;
  std::uint16_t start = 0;
  std::uint16_t count = 0;
};

/// Most addresses in one request: 2000 bits (FC 1/2) or 125 registers (FC 3/4) (Modbus
/// Application Protocol V1.1b3, sections 6.1-6.4).
std::uint16_t max_read_count(PointSource source);

/// "read discrete inputs 100..101" or "read coils 7" (function and addresses, for error texts).
std::string describe(const ReadGroup& group);

class ReadPlan {
 public:
  /// Groups the points' addresses; only strictly contiguous addresses share a request (a gap
  /// might be an address the device refuses).
  explicit ReadPlan(const std::vector<ModbusPoint>& points);

  [[nodiscard]] const std::vector<ReadGroup>& groups() const { return groups_; }

  /// Point values (after `invert`) in point order. `data[i]` holds groups()[i].count words:
  /// 0/1 per address for coils and discrete inputs, the 16-bit value for registers.
  [[nodiscard]] std::vector<bool> extract(
      const std::vector<std::vector<std::uint16_t>>& data) const;

 private:
  struct Slot {
    std::size_t group = 0;
    std::uint16_t offset = 0;
    int bit = -1;
    bool invert = false;
  };
  std::vector<ReadGroup> groups_;
  std::vector<Slot> slots_;
};

}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
#include "drivers/modbus/read_plan.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace dockgate::drivers {

std::uint16_t max_read_count(PointSource source) {
  return is_register(source) ? 125 : 2000;
}

std::string describe(const ReadGroup& group) {
  const char* function = "read coils";
  switch (group.source) {
    case PointSource::coil:
      function = "read coils";
      break;
    case PointSource::discrete_input:
      function = "read discrete inputs";
      break;
    case PointSource::holding_register:
      function = "read holding registers";
      break;
    case PointSource::input_register:
      function = "read input registers";
      break;
  }
  std::string text = std::string(function) + " " + std::to_string(group.start);
  if (group.count > 1) {
    text += ".." + std::to_string(static_cast<unsigned>(group.start) + group.count - 1);
  }
  return text;
}

ReadPlan::ReadPlan(const std::vector<ModbusPoint>& points) {
  constexpr std::array<PointSource, 4> kOrder{PointSource::coil, PointSource::discrete_input,
                                              PointSource::holding_register,
                                              PointSource::input_register};
  for (const PointSource source : kOrder) {
    std::set<std::uint16_t> addresses;
    for (const auto& p : points) {
      if (p.source == source) addresses.insert(p.address);
    }
    const std::uint16_t limit = max_read_count(source);
    for (const std::uint16_t address : addresses) {
      ReadGroup* last = groups_.empty() ? nullptr : &groups_.back();
      const bool extends = last != nullptr && last->source == source &&
                           static_cast<unsigned>(last->start) + last->count == address &&
                           last->count < limit;
      if (extends) {
        ++last->count;
      } else {
        groups_.push_back(ReadGroup{source, address, 1});
      }
    }
  }
  slots_.reserve(points.size());
  for (const auto& p : points) {
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      const ReadGroup& group = groups_[g];
      if (group.source == p.source && p.address >= group.start &&
          static_cast<unsigned>(p.address) < static_cast<unsigned>(group.start) + group.count) {
        slots_.push_back(
            Slot{g, static_cast<std::uint16_t>(p.address - group.start), p.bit, p.invert});
        break;
      }
    }
  }
}

std::vector<bool> ReadPlan::extract(const std::vector<std::vector<std::uint16_t>>& data) const {
  std::vector<bool> values;
  values.reserve(slots_.size());
  for (const Slot& slot : slots_) {
    bool raw = false;
    if (slot.group < data.size() && slot.offset < data[slot.group].size()) {
      const std::uint16_t word = data[slot.group][slot.offset];
      raw = slot.bit >= 0 ? ((word >> slot.bit) & 1U) != 0 : word != 0;
    }
    values.push_back(raw != slot.invert);
  }
  return values;
}

}  // namespace dockgate::drivers

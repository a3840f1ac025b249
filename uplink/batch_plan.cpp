// SPDX-License-Identifier: Apache-2.0
#include "uplink/batch_plan.hpp"

namespace dockgate::uplink {

std::size_t plan_message(const std::deque<buffer::StoredRecord>& ready, bool batching,
                         const BatchLimits& limits) {
  if (ready.empty()) return 0;
  if (!batching || ready.front().channel != buffer::Channel::event) return 1;
  std::size_t rows = 1;
  std::uint64_t bytes = ready.front().payload.size();
  while (rows < ready.size() && rows < limits.max_events) {
    const auto& next = ready[rows];
    if (next.channel != buffer::Channel::event) break;  // keep channels in seq order
    if (bytes + next.payload.size() > limits.max_bytes) break;
    bytes += next.payload.size();
    ++rows;
  }
  return rows;
}

}  // namespace dockgate::uplink

// SPDX-License-Identifier: Apache-2.0
// Which rows go into the next message. Pure: the publisher's cursor logic stays testable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

#include "buffer/record.hpp"

namespace dockgate::uplink {

struct BatchLimits {
  std::uint32_t max_events = 500;        ///< rows per message when batching
  std::uint32_t max_bytes = 256 * 1024;  ///< sum of row payload sizes per message, bytes
};

/// Number of rows from the front of `ready` (seq order) that make the next message:
///  - 0 when `ready` is empty;
///  - 1 for an exception row (that channel is always one row per message);
///  - 1 when not `batching` (live traffic: one event per message, lowest latency);
///  - otherwise the longest run of consecutive event rows with at most max_events rows and
///    at most max_bytes of payload. The first row always goes, even when larger on its own.
std::size_t plan_message(const std::deque<buffer::StoredRecord>& ready, bool batching,
                         const BatchLimits& limits);

/// Whether the publisher is draining a backlog: more rows wait (`waiting_rows`) than the
/// in-flight window can take at once (`free_slots` messages). Then messages are batched so
/// the drain rate is not capped by the per-message rate.
inline bool is_backlog(std::uint64_t waiting_rows, std::uint32_t free_slots,
                       std::uint32_t max_events) {
  return max_events > 1 && waiting_rows > free_slots;
}

}  // namespace dockgate::uplink

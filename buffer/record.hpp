// Rows of the SQLite outbox as the rest of the agent sees them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace dockgate::buffer {

/// Which MQTT topic family a row goes to. Stored as an integer column; values are stable.
enum class Channel : std::uint8_t { event = 0, exception = 1 };

/// Renders the final payload once the row's sequence number is known (it is assigned inside
/// the commit transaction, so it is gap-free). Called on the outbox thread; must not throw.
using RenderFn = std::function<std::string(std::uint64_t gateway_seq)>;

/// Called on the outbox thread once the record's fate is known: committed (seq assigned) or
/// rejected (buffer over its cap or the process is stopping with the disk unavailable).
/// Must return quickly (post elsewhere).
using DoneFn = std::function<void(bool committed, std::uint64_t gateway_seq)>;

/// A record waiting for the group commit.
struct PendingRecord {
  Channel channel = Channel::event;
  std::int64_t created_ms = 0;  ///< UTC ms of the read; "oldest unsent age" is measured from it
  RenderFn render;
  DoneFn on_done;  ///< optional
};

/// A committed row.
struct StoredRecord {
  std::uint64_t seq = 0;  ///< gatewaySeq: 1, 2, 3 ... never reused, survives restarts
  Channel channel = Channel::event;
  std::int64_t created_ms = 0;
  std::string payload;  ///< bytes as rendered (JSON text)
};

/// Backlog figures, read from the database (so `dockgate status` sees the daemon's view).
struct OutboxStats {
  std::uint64_t pending_count = 0;     ///< committed rows not yet acknowledged by the broker
  std::uint64_t pending_bytes = 0;     ///< sum of their payload sizes
  std::optional<std::int64_t> oldest_created_ms;  ///< created_ms of the lowest pending seq
  std::optional<std::int64_t> last_publish_ms;    ///< UTC ms of the last PUBACK recorded
  std::uint64_t last_seq = 0;          ///< highest gatewaySeq ever assigned
  std::uint64_t acked_total = 0;       ///< rows acknowledged since the database was created
  std::uint64_t file_bytes = 0;        ///< main database file size
  std::uint64_t rejected_total = 0;    ///< records refused because the buffer was full
};

}  // namespace dockgate::buffer

// SPDX-License-Identifier: Apache-2.0
// Rows of the SQLite outbox as the rest of the agent sees them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dockgate::buffer {

/// Which MQTT topic family a row goes to. Stored as an integer column; values are stable.
enum class Channel : std::uint8_t { event = 0, exception = 1 };

/// Renders the final payload once the row's sequence number is known (it is assigned inside
/// the commit transaction, so it is gap-free). Called on the outbox thread; must not throw
/// (a throw rejects that record). May be called more than once for one record, possibly
/// with a different seq: when a transaction fails and is retried, or when the record before
/// it was rejected. Only the output of the call whose seq reaches DoneFn counts.
using RenderFn = std::function<std::string(std::uint64_t gateway_seq)>;

/// Called exactly once per appended record, once its fate is known: committed (seq assigned,
/// the row is on disk) or rejected with seq 0 (buffer over `max_bytes`, memory queue full,
/// RenderFn threw, or the process is stopping with the disk unavailable). Runs on the outbox
/// thread, except for appends made after close(), which are rejected on the caller's thread.
/// Must return quickly (post elsewhere).
using DoneFn = std::function<void(bool committed, std::uint64_t gateway_seq)>;

/// One row of the outbox's key/value `state` table (schema v2): agent state that must survive
/// a restart together with the events it caused, such as an open dock session. `value`
/// nullopt deletes the key.
struct StateWrite {
  std::string key;                   ///< e.g. "dock_session/door-07"
  std::optional<std::string> value;  ///< JSON text; nullopt = delete
};

/// A record waiting for the group commit.
/// `state` is written in the same transaction as the row: both are on disk or neither. A
/// record without `render` is state-only: no outbox row and no seq; its DoneFn gets
/// (true, 0) once the state is committed (or (false, 0) when the disk refused it).
struct PendingRecord {
  Channel channel = Channel::event;
  std::int64_t created_ms = 0;  ///< UTC ms of the read; "oldest unsent age" is measured from it
  RenderFn render;
  DoneFn on_done;  ///< optional
  std::vector<StateWrite> state;
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
  std::uint64_t pending_count = 0;  ///< committed rows not yet acknowledged by the broker
  std::uint64_t pending_bytes = 0;  ///< sum of their payload sizes
  std::optional<std::int64_t> oldest_created_ms;  ///< created_ms of the lowest pending seq
  std::optional<std::int64_t> last_publish_ms;    ///< UTC ms of the last PUBACK recorded
  std::uint64_t last_seq = 0;                     ///< highest gatewaySeq ever assigned
  std::uint64_t acked_total = 0;     ///< rows acknowledged since the database was created
  std::uint64_t file_bytes = 0;      ///< database file + its -wal file, bytes
  std::uint64_t rejected_total = 0;  ///< records refused (cap, queue full, render error)

  // Writer-side figures: filled by Outbox::stats() only (OutboxReader leaves them 0/false).
  std::uint64_t queued_records = 0;  ///< appended, waiting in memory for a commit
  std::uint64_t append_commits = 0;  ///< append transactions committed since open()
  bool write_failing = false;        ///< the last write failed (disk full, I/O); retrying
};

}  // namespace dockgate::buffer

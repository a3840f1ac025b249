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
/// `prefix` with `value` nullopt deletes every key that starts with `key` (byte-wise; "" =
/// all keys), e.g. "plan_unit/P1/" for the per-unit rows of a finished plan ("plan_unit/P10/x"
/// does not start with it and stays). `prefix` with a value is a programming error: it is
/// treated as a plain write of exactly `key`.
struct StateWrite {
  std::string key;                   ///< e.g. "dock_session/door-07"
  std::optional<std::string> value;  ///< JSON text; nullopt = delete
  bool prefix = false;               ///< delete by prefix (only with value nullopt)
};

/// One row of the `plans` table (schema v3): an accepted dock plan document (JSON text as
/// received), kept so plans survive restarts and broker outages.
struct PlanRow {
  std::string plan_id;
  std::uint32_t revision = 0;
  std::string source;            ///< "mqtt" or "file:<name>"
  std::int64_t received_ms = 0;  ///< UTC ms
  std::string document;          ///< JSON text (up to 1 MiB)
};

/// Upsert (row set) or delete (row nullopt) of one plan, applied in the same transaction as
/// the PendingRecord carrying it. The row is stored under `plan_id` (row->plan_id is not
/// consulted). Deleting an unknown plan_id is not an error.
struct PlanWrite {
  std::string plan_id;
  std::optional<PlanRow> row;
};

/// A record waiting for the group commit.
/// `state` and `plans` are written in the same transaction as the row, in vector order: all
/// are on disk or none. A record without `render` is state-only (it carries state and/or
/// plan writes): no outbox row and no seq; its DoneFn gets (true, 0) once they are committed
/// (or (false, 0) when the disk refused them). A record with neither is rejected.
struct PendingRecord {
  Channel channel = Channel::event;
  std::int64_t created_ms = 0;  ///< UTC ms of the read; "oldest unsent age" is measured from it
  RenderFn render;
  DoneFn on_done;  ///< optional
  std::vector<StateWrite> state;
  std::vector<PlanWrite> plans;  ///< plan upserts/deletes (schema v3)
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
  /// Acknowledged rows kept for replay (buffer.retain_delivered) and their payload bytes.
  std::uint64_t retained_count = 0;
  std::uint64_t retained_bytes = 0;

  // Writer-side figures: filled by Outbox::stats() only (OutboxReader leaves them 0/false).
  std::uint64_t queued_records = 0;  ///< appended, waiting in memory for a commit
  std::uint64_t append_commits = 0;  ///< append transactions committed since open()
  bool write_failing = false;        ///< the last write failed (disk full, I/O); retrying
};

}  // namespace dockgate::buffer

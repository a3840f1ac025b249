// SPDX-License-Identifier: Apache-2.0
// The writer's transactions on the read-write connection: group-commit appends, batched
// ack deletes, counters, incremental vacuum and checkpoints. Single-threaded: only the
// outbox writer thread calls it. Every method either commits or rolls back completely.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "buffer/record.hpp"
#include "buffer/schema.hpp"
#include "buffer/seq_mark.hpp"
#include "buffer/sqlite_db.hpp"

namespace dockgate::buffer {

/// What one append transaction did, per record of the batch in order.
struct AppendOutcome {
  std::vector<std::uint64_t> seqs;  ///< committed seq per record, 0 = rejected or state-only
  std::vector<bool> committed;      ///< per record: its row and/or state are on disk
  std::vector<StoredRecord> rows;   ///< the committed rows, in seq order
  std::uint64_t over_cap = 0;       ///< rejected: pending bytes would exceed max_bytes
  std::uint64_t render_failed = 0;  ///< rejected: RenderFn threw
};

/// What one ack transaction did.
struct AckOutcome {
  std::uint64_t deleted_rows = 0;   ///< rows that existed and were deleted
  std::uint64_t deleted_bytes = 0;  ///< their payload bytes
};

/// What a prune of the `delivered` table did.
struct PruneOutcome {
  std::uint64_t rows = 0;   ///< delivered rows deleted
  std::uint64_t bytes = 0;  ///< their payload bytes
  bool more = false;        ///< the row limit stopped it: more rows are due
};

class Store {
 public:
  /// Takes the connection open_writer_db() returned. `max_bytes` 0 = no cap. `mark` is the
  /// seq high-water file: raised to >= meta.last_seq here (a failure is logged and retried
  /// by the next append).
  Store(sqlite::Db db, std::uint64_t max_bytes, SeqMark mark);

  /// One BEGIN IMMEDIATE .. COMMIT: seqs last_seq+1.. in batch order, RenderFn called with
  /// each, each record's state and plan writes beside its row (none for a record rejected by
  /// the cap or its RenderFn); `extra_rejected` is added to rejected_total in the same
  /// transaction. `wal_bytes`
  /// (the -wal file's size) counts against max_bytes with the pending payload. The seq mark
  /// is raised before the COMMIT when the batch goes past it.
  /// On failure rolls back and throws sqlite::Error or OutboxError (mark not writable); the
  /// batch is untouched and may be retried with the same numbers.
  AppendOutcome append(std::span<PendingRecord> batch, std::uint64_t extra_rejected,
                       std::uint64_t wal_bytes = 0);

  /// Deletes `seqs` (sorted ascending, unique; unknown seqs are skipped) in one transaction
  /// and records `publish_ms` as last_publish_ms (kept at the maximum); `extra_rejected` is
  /// added to rejected_total in the same transaction. With `retain` the rows are first copied
  /// into `delivered` (delivered_ms = publish_ms) for replay, in the same transaction.
  /// Throws sqlite::Error.
  AckOutcome ack(std::span<const std::uint64_t> seqs, std::int64_t publish_ms,
                 std::uint64_t extra_rejected = 0, bool retain = false);

  /// Deletes delivered rows from the lowest seq up while they were delivered before
  /// `cutoff_ms` (UTC ms) or the retained payload exceeds `max_bytes` (0 = no byte limit),
  /// at most `max_rows` in this transaction. Rows are taken in seq order, so one acked late
  /// may outlive its age by the time its lower neighbours take. Throws sqlite::Error.
  PruneOutcome prune_delivered(std::int64_t cutoff_ms, std::uint64_t max_bytes,
                               std::size_t max_rows);
  /// Deletes every delivered row: pending rows need the space. Throws sqlite::Error.
  PruneOutcome drop_delivered();

  /// Adds `n` to rejected_total in its own transaction. Throws sqlite::Error.
  void add_rejected(std::uint64_t n);

  /// Every row of the `state` table: key -> value.
  std::map<std::string, std::string> read_state();
  /// Every row of the `plans` table, ordered by plan_id.
  std::vector<PlanRow> read_plans();

  /// Counters as of the last commit (cached: no I/O).
  [[nodiscard]] const schema::Meta& meta() const noexcept { return meta_; }
  /// created_ms of the lowest pending seq as of the last commit (cached).
  [[nodiscard]] std::optional<std::int64_t> oldest_created_ms() const noexcept { return oldest_; }

  /// Pages on the free list (reusable, not yet returned to the file system).
  std::uint64_t free_pages();
  /// PRAGMA incremental_vacuum(max_pages): returns up to that many free pages to the file
  /// system (the file shrinks at the next checkpoint). Throws sqlite::Error.
  void vacuum(std::uint64_t max_pages);
  /// wal_checkpoint: TRUNCATE without waiting for readers (empties the -wal file) when
  /// `truncate`, else PASSIVE. Returns false when readers kept it from completing.
  bool checkpoint(bool truncate) noexcept;
  /// Result code of the last checkpoint() (SQLITE_OK, SQLITE_BUSY, SQLITE_FULL ...).
  [[nodiscard]] int last_checkpoint_rc() const noexcept { return checkpoint_rc_; }
  /// Size of the -wal file in bytes (0 when missing).
  [[nodiscard]] std::uint64_t wal_bytes() const;
  [[nodiscard]] const std::string& path() const noexcept { return db_.path(); }

  /// Final checkpoint and close; the Store must not be used afterwards.
  void close() noexcept;

 private:
  void begin();
  void commit();
  void refresh();  // re-reads meta_ and oldest_ after a commit
  void write_state(const std::vector<StateWrite>& writes, std::int64_t now_ms);
  void write_plans(const std::vector<PlanWrite>& writes);

  sqlite::Db db_;
  std::uint64_t max_bytes_;
  sqlite::Stmt begin_, commit_;
  sqlite::Stmt select_meta_, select_oldest_;
  sqlite::Stmt insert_, update_after_append_;
  sqlite::Stmt delete_range_, update_after_ack_, add_rejected_;
  sqlite::Stmt upsert_state_, delete_state_, delete_state_from_, delete_state_range_;
  sqlite::Stmt upsert_plan_, delete_plan_;
  sqlite::Stmt retain_range_, select_delivered_, delete_delivered_to_, update_delivered_;
  schema::Meta meta_;
  std::optional<std::int64_t> oldest_;
  SeqMark mark_;
  int checkpoint_rc_ = SQLITE_OK;
};

}  // namespace dockgate::buffer

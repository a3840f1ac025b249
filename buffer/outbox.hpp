// SPDX-License-Identifier: Apache-2.0
// The durable outbox: every accepted read is a row here before anything else happens.
// One writer thread owns the read-write connection (group commit, acks, vacuum); readers
// open their own read-only connections (WAL lets them run beside the writer).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "buffer/outbox_options.hpp"
#include "buffer/record.hpp"

namespace dockgate::buffer {

/// Raised when the database cannot be opened or created at all (bad path, permissions).
class OutboxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What happened while opening: shown in logs and exception events.
struct OpenReport {
  bool created = false;            ///< a new database file was made
  bool recovered_corrupt = false;  ///< quick_check failed; the old file was moved aside
  std::string moved_aside_to;      ///< path of the moved file when recovered_corrupt
  /// recovered_corrupt: rows read back from the moved file and re-inserted with their
  /// original seq and payload (they are published like any pending row).
  std::uint64_t salvaged = 0;
  /// recovered_corrupt: rows that were pending in the moved file but could not be read, as
  /// far as known (the file's meta.pending_count when readable, else the seq holes between
  /// the salvaged rows).
  std::uint64_t unrecoverable = 0;
  /// recovered_corrupt: the highest seq the old file may have used (its meta.last_seq, the
  /// "<path>.seq" mark, the highest salvaged seq): new numbering continues above it.
  std::uint64_t previous_last_seq = 0;
  std::uint64_t pending_at_start = 0;  ///< rows left from the last run: publish them first
  std::uint64_t next_seq = 1;          ///< meta.last_seq + 1: numbering resumes here
  /// The `state` table as committed by the last run (see StateWrite): key -> JSON text.
  std::map<std::string, std::string> state;
  /// Every row of the `plans` table as committed by the last run (see PlanWrite), ordered by
  /// plan_id. Empty after a corrupt file was replaced: plans are not salvaged (README.md).
  std::vector<PlanRow> plans;
};

class Outbox {
 public:
  /// Opens (creating if needed) the database, runs PRAGMA quick_check, resumes numbering and
  /// starts the writer thread. A corrupt or non-SQLite file is renamed to
  /// "<path>.corrupt-<UTC yyyymmddThhmmssZ>" with its -wal/-shm (never deleted) and a new
  /// database is created. Throws OutboxError (path + SQLite message) when the options are
  /// invalid, the file cannot be created (directory not writable), is another application's
  /// SQLite database, or was written by a newer schema version.
  static std::unique_ptr<Outbox> open(const OutboxOptions& options, OpenReport* report = nullptr);

  virtual ~Outbox() = default;

  /// Thread-safe, non-blocking: queues the record for the next group commit (a transaction
  /// of up to commit_max_rows records, closed commit_max_delay after its first record).
  /// While the disk refuses writes, records wait in memory and are retried with backoff
  /// (100 ms .. 5 s); beyond max_queued_records new ones get DoneFn(false, 0).
  virtual void append(PendingRecord record) = 0;

  /// Thread-safe, non-blocking: the broker acknowledged these seqs; they are deleted in
  /// batches and `publish_ms` (UTC ms) is recorded as last_publish_ms. Unknown, already
  /// deleted and 0 seqs are ignored. Ignored after close().
  virtual void ack(std::vector<std::uint64_t> seqs, std::int64_t publish_ms) = 0;

  /// Called on the writer thread after each successful commit with the rows just written,
  /// in seq order (the live hand-off to the uplink). Set before the first append.
  virtual void set_commit_listener(std::function<void(const std::vector<StoredRecord>&)> fn) = 0;

  /// Backlog figures as committed so far, plus the writer-side fields. O(1): a copy of
  /// counters kept by the writer thread and one stat() of the file.
  virtual OutboxStats stats() = 0;

  /// How full the memory queue in front of the writer is. Thread-safe, O(1), no I/O: cheap
  /// enough to ask after every append (the agent's back-pressure does).
  struct QueueLevel {
    std::size_t records = 0;      ///< appended, not yet committed or rejected
    bool writes_failing = false;  ///< the last append transaction failed (disk full, I/O)
  };
  virtual QueueLevel queue_level() = 0;

  /// Commits what is queued, applies pending acks, checkpoints the WAL, stops the thread.
  /// Idempotent; the destructor calls it. Records still refused by a failing disk (one final
  /// attempt) get DoneFn(false, 0). Called from a DoneFn or the listener it only requests
  /// the stop (the writer cannot wait for itself).
  virtual void close() = 0;
};

/// An inclusive span of gatewaySeqs.
struct SeqRange {
  std::uint64_t from_seq = 0;
  std::uint64_t to_seq = 0;
};

/// Where the rows of a gatewaySeq range are (OutboxReader::coverage).
struct RangeCoverage {
  std::uint64_t retained = 0;  ///< acknowledged rows still kept: can be replayed
  std::uint64_t pending = 0;   ///< rows not yet acknowledged: they are sent anyway
  /// Seqs in neither table: past retention, dropped for space, lost with a corrupt file, or
  /// above the highest seq assigned so far.
  std::uint64_t missing = 0;
  std::vector<SeqRange> missing_ranges;  ///< the first max_ranges of them, in seq order
};

/// Read-only access for the uplink's backlog drain and for `dockgate status`. Works beside a
/// running writer (WAL); needs the directory or the -shm file to be writable by the caller.
/// Not thread-safe: use one reader per thread. Methods throw OutboxError on SQLite errors.
class OutboxReader {
 public:
  /// Throws OutboxError when the file does not exist or is not a dockgate outbox.
  explicit OutboxReader(const std::string& path);
  ~OutboxReader();
  OutboxReader(const OutboxReader&) = delete;
  OutboxReader& operator=(const OutboxReader&) = delete;

  /// Rows with seq >= from_seq in seq order, at most max_rows rows and (after the first
  /// row) at most max_bytes of payload.
  std::vector<StoredRecord> fetch(std::uint64_t from_seq, std::size_t max_rows,
                                  std::size_t max_bytes);
  /// Backlog figures, as of the last commit the daemon made.
  OutboxStats stats();

  /// Acknowledged rows kept for replay (table `delivered`) with from_seq <= seq <= to_seq,
  /// in seq order, at most max_rows rows and (after the first row) max_bytes of payload.
  std::vector<StoredRecord> fetch_delivered(std::uint64_t from_seq, std::uint64_t to_seq,
                                            std::size_t max_rows, std::size_t max_bytes);
  /// Counts the seqs of [from_seq, to_seq] that are kept, pending or missing, listing the
  /// first `max_ranges` missing spans. One snapshot; O(rows in the range), seqs only (no
  /// payload is read).
  RangeCoverage coverage(std::uint64_t from_seq, std::uint64_t to_seq, std::size_t max_ranges);

  /// The `state` rows whose key starts with `prefix` (key -> JSON text), as committed. Empty
  /// for a schema version 1 file the daemon has not migrated yet.
  std::map<std::string, std::string> state(const std::string& prefix);

  /// Every row of the `plans` table, ordered by plan_id, as committed. Empty for a schema
  /// version 1 or 2 file the daemon has not migrated yet.
  std::vector<PlanRow> plans();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dockgate::buffer

// The durable outbox: every accepted read is a row here before anything else happens.
// One writer thread owns the read-write connection (group commit, acks, vacuum); readers
// open their own read-only connections (WAL lets them run beside the writer).
#pragma once

#include <functional>
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
  std::uint64_t pending_at_start = 0;
  std::uint64_t next_seq = 1;
};

class Outbox {
 public:
  /// Opens (creating if needed) the database, runs PRAGMA quick_check, resumes numbering and
  /// starts the writer thread. A corrupt or non-SQLite file is renamed to
  /// "<path>.corrupt-<UTC timestamp>" (never deleted) and a new database is created.
  /// Throws OutboxError when neither works.
  static std::unique_ptr<Outbox> open(const OutboxOptions& options, OpenReport* report = nullptr);

  virtual ~Outbox() = default;

  /// Thread-safe, non-blocking: queues the record for the next group commit.
  virtual void append(PendingRecord record) = 0;

  /// Thread-safe, non-blocking: the broker acknowledged these seqs; they are deleted in
  /// batches and `last_publish_ms` is recorded.
  virtual void ack(std::vector<std::uint64_t> seqs, std::int64_t publish_ms) = 0;

  /// Called on the writer thread after each successful commit with the rows just written,
  /// in seq order (the live hand-off to the uplink). Set before the first append.
  virtual void set_commit_listener(std::function<void(const std::vector<StoredRecord>&)> fn) = 0;

  /// Backlog figures as committed so far.
  virtual OutboxStats stats() = 0;

  /// Commits what is queued, applies pending acks, checkpoints the WAL, stops the thread.
  /// Idempotent. Records still refused by a failing disk get DoneFn(false).
  virtual void close() = 0;
};

/// Read-only access for the uplink's backlog drain and for `dockgate status`.
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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dockgate::buffer

// SPDX-License-Identifier: Apache-2.0
// The Outbox behind Outbox::open(): a writer thread that owns the Store and turns queued
// appends into group commits, queued acks into batched deletes, and idle time into vacuum
// and WAL checkpoints. See buffer/README.md for the timing and failure rules.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "buffer/backoff.hpp"
#include "buffer/outbox.hpp"
#include "buffer/space_reserve.hpp"
#include "buffer/store.hpp"

namespace dockgate::buffer {

class OutboxImpl final : public Outbox {
 public:
  using Listener = std::function<void(const std::vector<StoredRecord>&)>;

  /// Starts the writer thread on `store` (opened and migrated by Outbox::open).
  OutboxImpl(const OutboxOptions& options, Store store);
  ~OutboxImpl() override;
  OutboxImpl(const OutboxImpl&) = delete;
  OutboxImpl& operator=(const OutboxImpl&) = delete;

  void append(PendingRecord record) override;
  void ack(std::vector<std::uint64_t> seqs, std::int64_t publish_ms) override;
  void set_commit_listener(Listener fn) override;
  OutboxStats stats() override;
  QueueLevel queue_level() override;
  void close() override;

 private:
  struct Queued {
    PendingRecord record;
    SteadyClock::time_point enqueued;
  };
  using Lock = std::unique_lock<std::mutex>;

  // All of these run on the writer thread with mu_ held; they unlock around I/O and callbacks.
  void run();
  void deliver_refused(Lock& lk);
  void commit_batch(Lock& lk);
  // False (failure noted, backoff set) when the space reserve is missing and cannot be made.
  bool ensure_reserve(Lock& lk);
  // The -wal size that counts against max_bytes (after a checkpoint when it is large).
  std::uint64_t wal_for_cap();
  // Checkpoints at once when free disk space is short (see kTightSpace).
  void after_commit_space_check();
  // The space reserve is missing or free disk space (beyond the WAL) is below kTightSpace.
  bool space_tight();
  void apply_acks(Lock& lk);
  void maintain(Lock& lk, bool quiet);
  void refuse_all_queued(Lock& lk);
  [[nodiscard]] bool append_due(SteadyClock::time_point now) const;
  [[nodiscard]] bool maintenance_due(SteadyClock::time_point now, bool quiet) const;
  /// Delivered rows are kept (buffer.retain_delivered) and their retention is due a check.
  [[nodiscard]] bool prune_due(SteadyClock::time_point now) const;
  /// Deletes delivered rows past retain_delivered / retain_delivered_bytes, or all of them
  /// while disk space is tight. Writer thread, unlocked. Throws sqlite::Error.
  void prune_delivered();
  [[nodiscard]] std::optional<SteadyClock::time_point> next_wakeup() const;
  void publish_counters();
  void note_result(std::string& state, const char* what, const std::string& error);

  const OutboxOptions options_;
  Store store_;           // writer thread only once it runs
  SpaceReserve reserve_;  // writer thread only once it runs

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Queued> queue_;
  std::size_t in_flight_ = 0;  // records inside the running append transaction
  std::vector<std::uint64_t> acks_;
  std::int64_t ack_publish_ms_ = 0;
  std::vector<DoneFn> refused_;         // queue-full rejections, reported by the writer
  std::uint64_t unsaved_rejected_ = 0;  // counted but not yet in meta.rejected_total
  std::shared_ptr<const Listener> listener_;
  bool closing_ = false;
  OutboxStats mirror_;  // meta + oldest as of the last commit
  LogLimiter queue_full_log_{std::chrono::seconds(10)};

  // Writer-thread state (read under mu_ only by the writer itself).
  Backoff append_backoff_, ack_backoff_;
  std::string append_error_, ack_error_;  // "" = the last attempt succeeded
  LogLimiter over_cap_log_{std::chrono::seconds(10)};
  LogLimiter maintenance_log_{std::chrono::seconds(60)};
  SteadyClock::time_point last_write_{}, last_maintenance_{}, maintenance_retry_at_{};
  SteadyClock::time_point last_prune_{};  ///< retention check of the delivered rows
  bool need_vacuum_ = false, need_checkpoint_ = false;
  bool full_retried_ = false;  // the last append failed SQLITE_FULL and was retried at once

  std::mutex close_mu_;
  std::thread thread_;
};

}  // namespace dockgate::buffer

// SPDX-License-Identifier: Apache-2.0
#include "buffer/outbox_impl.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <limits>
#include <utility>

#include "buffer/open_db.hpp"
#include "buffer/recover.hpp"

namespace dockgate::buffer {

namespace {

using std::chrono::milliseconds;

// Seqs deleted per ack transaction: large enough for >= 100k acks/s, small enough that a
// waiting append batch is not held up for long.
constexpr std::size_t kAckBatch = 10000;
// ... but while disk space is short a delete must fit in the WAL room the space reserve
// gives: a few hundred rows touch some 40 pages (~160 KiB of WAL), then a checkpoint.
constexpr std::size_t kAckBatchTight = 256;
// Maintenance (vacuum, checkpoint, rejected counter) waits for this much quiet ...
constexpr milliseconds kIdleAfter{200};
// ... but vacuum also runs this often under constant load, a bounded step at a time.
constexpr milliseconds kBusyMaintenanceEvery{10000};
// Failed maintenance is retried after this pause.
constexpr milliseconds kMaintenanceRetry{1000};
// Free pages kept for reuse (4 MiB at 4 KiB pages) and returned per vacuum step (8 MiB):
// a drained backlog gives its space back without one long stall.
constexpr std::uint64_t kKeepFreePages = 1024;
constexpr std::uint64_t kVacuumStepPages = 2048;
// Below this much free disk space (beyond the WAL's own size) every commit is followed by a
// TRUNCATE checkpoint: the WAL must not grow into the space a checkpoint needs.
constexpr std::uint64_t kTightSpace = 4ULL * 1024 * 1024;
// Delivered rows past their retention are deleted this often, at most this many per
// transaction (a week of backlog goes in steps, without holding appends up for long).
constexpr milliseconds kPruneEvery{5000};
constexpr std::size_t kPruneBatch = 20000;

void call_done(const DoneFn& fn, bool committed, std::uint64_t seq) noexcept {
  if (!fn) return;
  try {
    fn(committed, seq);
  } catch (const std::exception& e) {
    spdlog::error("outbox: a DoneFn threw ({}); ignored", e.what());
  } catch (...) {
    spdlog::error("outbox: a DoneFn threw; ignored");
  }
}

std::string what_of(std::exception_ptr ep) {
  try {
    std::rethrow_exception(std::move(ep));
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

bool is_full(const std::exception_ptr& ep) {
  try {
    std::rethrow_exception(ep);
  } catch (const sqlite::Error& e) {
    return e.primary() == SQLITE_FULL;
  } catch (...) {
    return false;
  }
}

// Delivered rows kept for replay give way to pending ones: deletes them all (using the space
// reserve when even the delete finds no room) and empties the WAL. False when there were
// none. Throws sqlite::Error when the delete fails for another reason.
bool free_delivered(Store& store, SpaceReserve& reserve) {
  if (store.meta().delivered_count == 0) return false;
  PruneOutcome dropped;
  try {
    dropped = store.drop_delivered();
  } catch (const sqlite::Error& e) {
    if (e.primary() != SQLITE_FULL || !reserve.release()) throw;
    store.checkpoint(true);
    dropped = store.drop_delivered();
  }
  store.checkpoint(true);
  spdlog::warn(
      "outbox '{}': disk short; dropped {} delivered records ({} bytes) kept for replay, so "
      "pending records keep their place",
      store.path(), dropped.rows, dropped.bytes);
  return true;
}

// Runs `op`, an operation that frees space or must not be lost (ack, rejected counter). On
// SQLITE_FULL it first drops the delivered rows kept for replay, else releases the space
// reserve and empties the WAL, and runs `op` once more.
template <class Op>
auto with_room(Store& store, SpaceReserve& reserve, Op&& op) -> decltype(op()) {
  try {
    return op();
  } catch (const sqlite::Error& e) {
    if (e.primary() != SQLITE_FULL) throw;
    if (free_delivered(store, reserve)) return op();
    const bool released = reserve.release();
    if (released) {
      spdlog::warn("outbox '{}': disk full; released the space reserve '{}' ({} bytes)",
                   store.path(), reserve.path(), reserve.bytes());
    }
    const bool checkpointed = store.checkpoint(true);
    if (!released && !checkpointed) throw;
    return op();
  }
}

}  // namespace

std::unique_ptr<Outbox> Outbox::open(const OutboxOptions& options, OpenReport* report) {
  OpenedDb opened = open_writer_db(options);
  OpenReport r;
  SeqMark mark(options.path);
  restore_after_loss(opened, mark, r);
  Store store(std::move(opened.db), options.max_bytes, std::move(mark));
  r.created = opened.created;
  r.recovered_corrupt = !opened.moved_aside_to.empty();
  r.moved_aside_to = opened.moved_aside_to;
  r.pending_at_start = store.meta().pending_count;
  r.next_seq = store.meta().last_seq + 1;
  r.state = store.read_state();
  r.plans = store.read_plans();
  spdlog::info("outbox '{}': {}, {} rows pending, next seq {}, {} plans", options.path,
               r.created ? "created" : "opened", r.pending_at_start, r.next_seq, r.plans.size());
  if (report != nullptr) *report = std::move(r);  // plans may be megabytes: no copy
  return std::make_unique<OutboxImpl>(options, std::move(store));
}

OutboxImpl::OutboxImpl(const OutboxOptions& options, Store store)
    : options_(options), store_(std::move(store)), reserve_(options.path, options.reserve_bytes) {
  if (!reserve_.restore()) {
    spdlog::warn(
        "outbox '{}': no room for the {}-byte space reserve '{}'; new records wait "
        "until acknowledgements free space",
        options_.path, reserve_.bytes(), reserve_.path());
  }
  publish_counters();
  thread_ = std::thread([this] { run(); });
}

OutboxImpl::~OutboxImpl() {
  close();
}

void OutboxImpl::append(PendingRecord record) {
  Lock lk(mu_);
  if (closing_) {
    lk.unlock();
    call_done(record.on_done, false, 0);
    return;
  }
  const bool empty = !record.render && record.state.empty() && record.plans.empty();
  if (empty || queue_.size() + in_flight_ >= options_.max_queued_records) {
    if (empty) {
      spdlog::error(
          "outbox: a record with neither RenderFn nor state nor plans was appended; rejected");
    } else if (auto held_back = queue_full_log_.allow(SteadyClock::now())) {
      spdlog::warn(
          "outbox '{}': {} records wait in memory (the limit); rejecting new ones ({} "
          "more rejected since the last message)",
          options_.path, queue_.size() + in_flight_, *held_back);
    }
    refused_.push_back(std::move(record.on_done));
    ++unsaved_rejected_;
    cv_.notify_one();
    return;
  }
  queue_.push_back(Queued{std::move(record), SteadyClock::now()});
  // Wake the writer when its group-commit timer must start, or when a batch is full.
  if (queue_.size() == 1 || queue_.size() == options_.commit_max_rows) cv_.notify_one();
}

void OutboxImpl::ack(std::vector<std::uint64_t> seqs, std::int64_t publish_ms) {
  constexpr auto kMaxSeq = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  std::erase_if(seqs, [](std::uint64_t s) { return s == 0 || s > kMaxSeq; });
  Lock lk(mu_);
  if (closing_ || seqs.empty()) return;
  ack_publish_ms_ = acks_.empty() ? publish_ms : std::max(ack_publish_ms_, publish_ms);
  acks_.insert(acks_.end(), seqs.begin(), seqs.end());
  cv_.notify_one();
}

void OutboxImpl::set_commit_listener(Listener fn) {
  Lock lk(mu_);
  listener_ = fn ? std::make_shared<const Listener>(std::move(fn)) : nullptr;
}

OutboxStats OutboxImpl::stats() {
  OutboxStats s;
  {
    Lock lk(mu_);
    s = mirror_;
    s.rejected_total += unsaved_rejected_;
    s.queued_records = queue_.size() + in_flight_;
  }
  std::error_code ec;
  const auto size = std::filesystem::file_size(options_.path, ec);
  s.file_bytes = ec ? 0 : size;
  const auto wal = std::filesystem::file_size(options_.path + "-wal", ec);
  s.file_bytes += ec ? 0 : wal;
  return s;
}

void OutboxImpl::close() {
  std::lock_guard close_lock(close_mu_);
  {
    Lock lk(mu_);
    closing_ = true;
  }
  cv_.notify_all();
  // From a callback on the writer thread itself: it finishes on its own; the owner joins.
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

// ---- writer thread -----------------------------------------------------------------------

void OutboxImpl::run() {
  Lock lk(mu_);
  try {
    for (;;) {
      deliver_refused(lk);
      bool worked = false;
      if (!acks_.empty() && (closing_ || SteadyClock::now() >= ack_backoff_.retry_at())) {
        apply_acks(lk);  // acks first: they may free the pages a failing append needs
        worked = true;
      }
      if (append_due(SteadyClock::now())) {
        commit_batch(lk);
        worked = true;
      }
      const auto now = SteadyClock::now();
      const bool quiet = queue_.empty() && acks_.empty() && now >= last_write_ + kIdleAfter;
      if (!closing_ && maintenance_due(now, quiet)) {
        maintain(lk, quiet);
        continue;
      }
      if (worked || !refused_.empty()) continue;
      if (closing_ && queue_.empty() && acks_.empty()) break;
      if (const auto wake = next_wakeup()) {
        cv_.wait_until(lk, *wake);
      } else {
        cv_.wait(lk);
      }
    }
  } catch (...) {
    // Not expected: every step handles its own errors. Never leave callers waiting.
    if (!lk.owns_lock()) lk.lock();
    spdlog::critical("outbox '{}': writer thread failed: {}; rejecting queued records",
                     options_.path, what_of(std::current_exception()));
    closing_ = true;
    refuse_all_queued(lk);
    deliver_refused(lk);
  }
  // Persist what the last transactions could not carry, then checkpoint and close.
  const std::uint64_t rejected = unsaved_rejected_;
  lk.unlock();
  bool saved = false;
  if (rejected > 0) {
    try {
      // On a full disk this may use the space reserve: the count must reach the file.
      with_room(store_, reserve_, [&] { store_.add_rejected(rejected); });
      saved = true;
    } catch (const std::exception& e) {
      spdlog::warn("outbox '{}': rejected_total not saved at close: {}", options_.path, e.what());
    }
  }
  lk.lock();
  if (saved) unsaved_rejected_ -= rejected;
  publish_counters();
  lk.unlock();
  if (!store_.checkpoint(true) && store_.last_checkpoint_rc() == SQLITE_FULL) {
    reserve_.release();  // the next start re-creates it
  }
  store_.close();
}

bool OutboxImpl::append_due(SteadyClock::time_point now) const {
  if (queue_.empty()) return false;
  if (closing_) return true;
  if (now < append_backoff_.retry_at()) return false;
  return queue_.size() >= options_.commit_max_rows ||
         now >= queue_.front().enqueued + options_.commit_max_delay;
}

std::optional<SteadyClock::time_point> OutboxImpl::next_wakeup() const {
  std::optional<SteadyClock::time_point> wake;
  const auto earliest = [&wake](SteadyClock::time_point t) {
    if (!wake || t < *wake) wake = t;
  };
  if (!queue_.empty()) {
    earliest(
        std::max(append_backoff_.retry_at(), queue_.front().enqueued + options_.commit_max_delay));
  }
  if (!acks_.empty()) earliest(ack_backoff_.retry_at());
  const bool idle = queue_.empty() && acks_.empty();
  if (idle && (need_vacuum_ || need_checkpoint_ || unsaved_rejected_ > 0)) {
    earliest(std::max(maintenance_retry_at_, last_write_ + kIdleAfter));
  } else if (!append_error_.empty() && unsaved_rejected_ > 0) {
    earliest(std::max(maintenance_retry_at_, last_maintenance_ + kMaintenanceRetry));
  } else if (need_vacuum_) {
    earliest(std::max(maintenance_retry_at_, last_maintenance_ + kBusyMaintenanceEvery));
  }
  if (store_.meta().delivered_count > 0) earliest(last_prune_ + kPruneEvery);
  return wake;
}

void OutboxImpl::deliver_refused(Lock& lk) {
  while (!refused_.empty()) {
    std::vector<DoneFn> refused = std::exchange(refused_, {});
    lk.unlock();
    for (const DoneFn& fn : refused) call_done(fn, false, 0);
    lk.lock();
  }
}

void OutboxImpl::refuse_all_queued(Lock& lk) {
  std::vector<DoneFn> refused;
  refused.reserve(queue_.size());
  for (Queued& q : queue_) refused.push_back(std::move(q.record.on_done));
  queue_.clear();
  unsaved_rejected_ += refused.size();
  publish_counters();
  lk.unlock();
  for (const DoneFn& fn : refused) call_done(fn, false, 0);
  lk.lock();
}

bool OutboxImpl::ensure_reserve(Lock& lk) {
  if (reserve_.present()) return true;
  lk.unlock();
  store_.checkpoint(true);  // an emptied WAL may leave room for the reserve
  const bool ok = reserve_.restore();
  lk.lock();
  if (ok) {
    spdlog::info("outbox '{}': space reserve '{}' re-created", options_.path, reserve_.path());
    return true;
  }
  note_result(append_error_, "append",
              "disk full: no room to re-create the space reserve '" + reserve_.path() +
                  "' that acknowledgements need; new records wait");
  append_backoff_.failed(SteadyClock::now());
  publish_counters();
  if (closing_) refuse_all_queued(lk);
  return false;
}

std::uint64_t OutboxImpl::wal_for_cap() {
  if (options_.max_bytes == 0) return 0;
  std::uint64_t wal = store_.wal_bytes();
  // The WAL counts against max_bytes: empty it before it crowds out new records.
  if (wal > 0 && store_.meta().pending_bytes + wal > options_.max_bytes / 2) {
    store_.checkpoint(true);
    wal = store_.wal_bytes();
  }
  return wal;
}

void OutboxImpl::after_commit_space_check() {
  if (space_tight()) store_.checkpoint(true);
}

void OutboxImpl::commit_batch(Lock& lk) {
  if (!ensure_reserve(lk)) return;
  const std::size_t n = std::min<std::size_t>(queue_.size(), options_.commit_max_rows);
  const SteadyClock::time_point first_enqueued = queue_.front().enqueued;
  std::vector<PendingRecord> batch;
  batch.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    batch.push_back(std::move(queue_.front().record));
    queue_.pop_front();
  }
  in_flight_ = n;
  const std::uint64_t extra_rejected = unsaved_rejected_;
  lk.unlock();

  AppendOutcome out;
  std::string error;
  bool retry_at_once = false;
  try {
    out = store_.append(batch, extra_rejected, wal_for_cap());
  } catch (...) {
    error = what_of(std::current_exception());
    // SQLITE_FULL: rows kept for replay give way, and a TRUNCATE checkpoint may give the
    // WAL's space back; retry once at once.
    if (is_full(std::current_exception()) && !full_retried_) {
      try {
        retry_at_once = free_delivered(store_, reserve_);
      } catch (const std::exception& e) {
        spdlog::warn("outbox '{}': dropping delivered records failed: {}", options_.path, e.what());
      }
      if (!retry_at_once && store_.wal_bytes() > 0) retry_at_once = store_.checkpoint(true);
    }
  }
  if (error.empty()) after_commit_space_check();

  lk.lock();
  in_flight_ = 0;
  if (!error.empty()) {
    // Back to the front, in order: the retry assigns the same seqs.
    for (std::size_t i = n; i-- > 0;) {
      queue_.push_front(Queued{std::move(batch[i]), first_enqueued});
    }
    note_result(append_error_, "append", error);
    full_retried_ = retry_at_once;
    if (!retry_at_once) append_backoff_.failed(SteadyClock::now());
    publish_counters();
    if (closing_) refuse_all_queued(lk);  // the final attempt failed: report, do not hang
    return;
  }
  note_result(append_error_, "append", error);
  append_backoff_.succeeded();
  full_retried_ = false;
  unsaved_rejected_ -= extra_rejected;
  ++mirror_.append_commits;
  last_write_ = SteadyClock::now();
  need_checkpoint_ = true;
  publish_counters();
  const std::shared_ptr<const Listener> listener = listener_;
  lk.unlock();

  if (out.over_cap > 0) {
    if (auto held_back = over_cap_log_.allow(SteadyClock::now())) {
      spdlog::warn(
          "outbox '{}': pending payload reached max_bytes {}; rejected {} records ({} "
          "more since the last message)",
          options_.path, options_.max_bytes, out.over_cap, *held_back);
    }
  }
  for (std::size_t i = 0; i < n; ++i) call_done(batch[i].on_done, out.committed[i], out.seqs[i]);
  if (listener && *listener && !out.rows.empty()) {
    try {
      (*listener)(out.rows);
    } catch (const std::exception& e) {
      spdlog::error("outbox: the commit listener threw ({}); ignored", e.what());
    } catch (...) {
      spdlog::error("outbox: the commit listener threw; ignored");
    }
  }
  lk.lock();
}

bool OutboxImpl::space_tight() {
  return !reserve_.present() ||
         SpaceReserve::free_bytes(options_.path) < store_.wal_bytes() + kTightSpace;
}

void OutboxImpl::apply_acks(Lock& lk) {
  const bool tight = space_tight();
  const std::size_t n = std::min(acks_.size(), tight ? kAckBatchTight : kAckBatch);
  std::vector<std::uint64_t> seqs(acks_.end() - static_cast<std::ptrdiff_t>(n), acks_.end());
  acks_.resize(acks_.size() - n);
  const std::int64_t publish_ms = ack_publish_ms_;
  const std::uint64_t extra_rejected = unsaved_rejected_;
  lk.unlock();

  std::sort(seqs.begin(), seqs.end());
  seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
  AckOutcome out;
  std::string error;
  try {
    // Kept for replay only while space allows: pending rows always win it.
    const bool retain = options_.retain_delivered.count() > 0 && !tight;
    out = with_room(store_, reserve_,
                    [&] { return store_.ack(seqs, publish_ms, extra_rejected, retain); });
    // Short of space, the WAL room goes back at once. Without its reserve the outbox takes
    // no new records: get it back as soon as the deletes have reached the main file.
    if (tight) store_.checkpoint(true);
    if (!reserve_.present() && store_.checkpoint(true) && reserve_.restore()) {
      spdlog::info("outbox '{}': space reserve '{}' re-created", options_.path, reserve_.path());
    }
  } catch (...) {
    error = what_of(std::current_exception());
  }

  lk.lock();
  note_result(ack_error_, "ack", error);
  if (!error.empty()) {
    ack_backoff_.failed(SteadyClock::now());
    publish_counters();
    if (closing_) {
      spdlog::warn("outbox '{}': {} acks not applied at close; those rows will be sent again",
                   options_.path, seqs.size());
    } else {
      acks_.insert(acks_.end(), seqs.begin(), seqs.end());
    }
    return;
  }
  ack_backoff_.succeeded();
  unsaved_rejected_ -= extra_rejected;
  append_backoff_.retry_now();  // deletes may have made room for a waiting append
  last_write_ = SteadyClock::now();
  need_checkpoint_ = true;
  need_vacuum_ = need_vacuum_ || out.deleted_rows > 0;
  publish_counters();
}

bool OutboxImpl::maintenance_due(SteadyClock::time_point now, bool quiet) const {
  if (now < maintenance_retry_at_) return false;
  // While appends fail nothing carries the rejected counter: write it on its own, once a
  // second, so `dockgate status` (which reads the file) sees it.
  if (!append_error_.empty() && unsaved_rejected_ > 0 &&
      now >= last_maintenance_ + kMaintenanceRetry) {
    return true;
  }
  if (prune_due(now)) return true;
  if (quiet) return need_vacuum_ || need_checkpoint_ || unsaved_rejected_ > 0;
  return need_vacuum_ && now >= last_maintenance_ + kBusyMaintenanceEvery;
}

bool OutboxImpl::prune_due(SteadyClock::time_point now) const {
  return store_.meta().delivered_count > 0 && now >= last_prune_ + kPruneEvery;
}

void OutboxImpl::prune_delivered() {
  if (space_tight()) {  // pending rows need the space more than replay does
    free_delivered(store_, reserve_);
    need_vacuum_ = true;
    return;
  }
  const auto now_ms =
      std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  PruneOutcome out;
  do {
    out = with_room(store_, reserve_, [&] {
      return store_.prune_delivered(now_ms - options_.retain_delivered.count(),
                                    options_.retain_delivered_bytes, kPruneBatch);
    });
    need_vacuum_ = need_vacuum_ || out.rows > 0;
  } while (out.more && !closing_);
}

void OutboxImpl::maintain(Lock& lk, bool quiet) {
  const std::uint64_t rejected = quiet || !append_error_.empty() ? unsaved_rejected_ : 0;
  const bool vacuum = need_vacuum_;
  lk.unlock();

  std::string error;
  bool more_vacuum = false;
  bool checkpointed = false;
  const bool prune = prune_due(SteadyClock::now());
  try {
    if (rejected > 0) with_room(store_, reserve_, [&] { store_.add_rejected(rejected); });
    if (prune) {
      last_prune_ = SteadyClock::now();
      prune_delivered();
    }
    if (vacuum || need_vacuum_) {
      // On a nearly full disk free pages go back to the file system: the space reserve (and
      // with it new appends) depends on it.
      const std::uint64_t keep = space_tight() ? 0 : kKeepFreePages;
      const std::uint64_t free = store_.free_pages();
      if (free > keep) {
        const std::uint64_t step = std::min(free - keep, kVacuumStepPages);
        with_room(store_, reserve_, [&] { store_.vacuum(step); });
        more_vacuum = free - step > keep;
      }
    }
    // Under load SQLite's own PASSIVE auto-checkpoint keeps the WAL bounded; when quiet,
    // TRUNCATE empties the -wal file and lets vacuumed pages leave the main file.
    if (quiet && !more_vacuum) {
      checkpointed = store_.checkpoint(true);
      if (!checkpointed && store_.last_checkpoint_rc() == SQLITE_FULL && reserve_.release()) {
        spdlog::warn("outbox '{}': disk full; released the space reserve for a checkpoint",
                     options_.path);
        checkpointed = store_.checkpoint(true);
      }
      if (checkpointed && !reserve_.present() && reserve_.restore()) {
        spdlog::info("outbox '{}': space reserve '{}' re-created", options_.path, reserve_.path());
      }
    }
  } catch (...) {
    error = what_of(std::current_exception());
  }

  lk.lock();
  const auto now = SteadyClock::now();
  last_maintenance_ = now;
  if (!error.empty()) {
    // A failing disk is already reported by the append path; say it here only otherwise.
    if (append_error_.empty() && maintenance_log_.allow(now)) {
      spdlog::warn("outbox '{}': maintenance failed: {}", options_.path, error);
    }
    maintenance_retry_at_ = now + kMaintenanceRetry;
    return;
  }
  unsaved_rejected_ -= rejected;
  need_vacuum_ = more_vacuum;
  if (quiet && !more_vacuum) {
    need_checkpoint_ = !checkpointed;
    // A reader kept the checkpoint from finishing: try again after a pause, not at once.
    if (!checkpointed) maintenance_retry_at_ = now + kMaintenanceRetry;
  }
  publish_counters();
}

void OutboxImpl::publish_counters() {
  const schema::Meta& meta = store_.meta();
  mirror_.pending_count = meta.pending_count;
  mirror_.pending_bytes = meta.pending_bytes;
  mirror_.last_seq = meta.last_seq;
  mirror_.acked_total = meta.acked_total;
  mirror_.rejected_total = meta.rejected_total;
  mirror_.last_publish_ms = meta.last_publish_ms;
  mirror_.oldest_created_ms = store_.oldest_created_ms();
  mirror_.retained_count = meta.delivered_count;
  mirror_.retained_bytes = meta.delivered_bytes;
  mirror_.write_failing = !append_error_.empty() || !ack_error_.empty();
}

void OutboxImpl::note_result(std::string& state, const char* what, const std::string& error) {
  if (error == state) return;  // log once per change of state, not per retry
  if (error.empty()) {
    spdlog::info("outbox '{}': {} writes succeed again", options_.path, what);
  } else {
    spdlog::error("outbox '{}': {} failed: {}; {} records kept in memory, retrying with backoff",
                  options_.path, what, error, queue_.size() + in_flight_);
  }
  state = error;
}

Outbox::QueueLevel OutboxImpl::queue_level() {
  std::lock_guard lk(mu_);
  return {queue_.size() + in_flight_, !append_error_.empty()};
}

}  // namespace dockgate::buffer

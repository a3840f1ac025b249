// SPDX-License-Identifier: Apache-2.0
#include "buffer/store.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <filesystem>
#include <utility>

namespace dockgate::buffer {

namespace {

std::int64_t i64(std::uint64_t v) {
  return static_cast<std::int64_t>(v);
}

// Calls RenderFn, turning a throw into nullopt: one bad record must not block the others.
std::optional<std::string> render(const PendingRecord& record, std::uint64_t seq) {
  try {
    return record.render(seq);
  } catch (const std::exception& e) {
    spdlog::error("outbox: rendering the record for seq {} failed: {}; record rejected", seq,
                  e.what());
  } catch (...) {
    spdlog::error("outbox: rendering the record for seq {} failed; record rejected", seq);
  }
  return std::nullopt;
}

// The smallest string above every string that starts with `prefix`, byte-wise as SQLite's
// BINARY collation compares TEXT (memcmp, then length); nullopt when no such bound exists
// ("" or only 0xFF bytes): then `key >= prefix` alone selects exactly the prefixed keys.
std::optional<std::string> prefix_end(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xFF) prefix.pop_back();
  if (prefix.empty()) return std::nullopt;
  prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

}  // namespace

Store::Store(sqlite::Db db, std::uint64_t max_bytes, SeqMark mark)
    : db_(std::move(db)), max_bytes_(max_bytes), mark_(std::move(mark)) {
  begin_ = db_.prepare("BEGIN IMMEDIATE");
  commit_ = db_.prepare("COMMIT");
  select_meta_ = db_.prepare(schema::select_meta_sql);
  select_oldest_ = db_.prepare(schema::select_oldest_sql);
  insert_ =
      db_.prepare("INSERT INTO outbox (seq, channel, created_ms, payload) VALUES (?1, ?2, ?3, ?4)");
  update_after_append_ = db_.prepare(
      "UPDATE meta SET last_seq = ?1, pending_count = pending_count + ?2,"
      " pending_bytes = pending_bytes + ?3, rejected_total = rejected_total + ?4 WHERE id = 1");
  // RETURNING gives each deleted row's size, so the byte counter stays exact even when
  // an ack names rows that are already gone. length() of a BLOB does not read it.
  delete_range_ =
      db_.prepare("DELETE FROM outbox WHERE seq BETWEEN ?1 AND ?2 RETURNING length(payload)");
  update_after_ack_ = db_.prepare(
      "UPDATE meta SET pending_count = pending_count - ?1, pending_bytes = pending_bytes - ?2,"
      " acked_total = acked_total + ?1,"
      " last_publish_ms = max(coalesce(last_publish_ms, ?3), ?3) WHERE id = 1");
  add_rejected_ = db_.prepare("UPDATE meta SET rejected_total = rejected_total + ?1 WHERE id = 1");
  upsert_state_ = db_.prepare(
      "INSERT INTO state (key, value, updated_ms) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms");
  delete_state_ = db_.prepare("DELETE FROM state WHERE key = ?1");
  // Prefix deletes as a range on the primary key: only the matching rows are visited.
  delete_state_from_ = db_.prepare("DELETE FROM state WHERE key >= ?1");
  delete_state_range_ = db_.prepare("DELETE FROM state WHERE key >= ?1 AND key < ?2");
  upsert_plan_ = db_.prepare(
      "INSERT INTO plans (plan_id, revision, source, received_ms, document)"
      " VALUES (?1, ?2, ?3, ?4, ?5)"
      " ON CONFLICT (plan_id) DO UPDATE SET revision = excluded.revision,"
      " source = excluded.source, received_ms = excluded.received_ms,"
      " document = excluded.document");
  delete_plan_ = db_.prepare("DELETE FROM plans WHERE plan_id = ?1");
  retain_range_ = db_.prepare(
      "INSERT OR REPLACE INTO delivered (seq, channel, created_ms, delivered_ms, payload)"
      " SELECT seq, channel, created_ms, ?3, payload FROM outbox WHERE seq BETWEEN ?1 AND ?2");
  select_delivered_ =
      db_.prepare("SELECT seq, delivered_ms, length(payload) FROM delivered ORDER BY seq LIMIT ?1");
  delete_delivered_to_ = db_.prepare("DELETE FROM delivered WHERE seq <= ?1");
  update_delivered_ = db_.prepare(
      "UPDATE meta SET delivered_count = delivered_count + ?1,"
      " delivered_bytes = delivered_bytes + ?2 WHERE id = 1");
  refresh();
  try {
    mark_.ensure(meta_.last_seq);
  } catch (const std::exception& e) {
    spdlog::warn("{}; retried before the next commit", e.what());
  }
}

std::uint64_t Store::wal_bytes() const {
  std::error_code ec;
  const auto size = std::filesystem::file_size(db_.path() + "-wal", ec);
  return ec ? 0 : size;
}

void Store::begin() {
  begin_.run();
}

void Store::commit() {
  commit_.run();
}

void Store::refresh() {
  meta_ = schema::read_meta(select_meta_, db_.path());
  oldest_ = schema::read_oldest(select_oldest_);
}

AppendOutcome Store::append(std::span<PendingRecord> batch, std::uint64_t extra_rejected,
                            std::uint64_t wal_bytes) {
  AppendOutcome out;
  out.seqs.assign(batch.size(), 0);
  out.committed.assign(batch.size(), false);
  out.rows.reserve(batch.size());
  begin();
  try {
    // Read inside the write transaction: the numbers of a rolled-back attempt are reused.
    const schema::Meta meta = schema::read_meta(select_meta_, db_.path());
    std::uint64_t next = meta.last_seq + 1;
    std::uint64_t added_bytes = 0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const PendingRecord& record = batch[i];
      if (!record.render) {  // state-only (state and/or plan writes)
        write_state(record.state, record.created_ms);
        write_plans(record.plans);
        out.committed[i] = true;
        continue;
      }
      std::optional<std::string> payload = render(record, next);
      if (!payload) {
        ++out.render_failed;
        continue;
      }
      if (max_bytes_ != 0 &&
          meta.pending_bytes + wal_bytes + added_bytes + payload->size() > max_bytes_) {
        ++out.over_cap;  // the seq stays free for the next record: numbering is gap-free
        continue;
      }
      insert_.bind(1, i64(next))
          .bind(2, static_cast<std::int64_t>(record.channel))
          .bind(3, record.created_ms)
          .bind_blob(4, *payload);
      insert_.run();
      write_state(record.state, record.created_ms);
      write_plans(record.plans);
      added_bytes += payload->size();
      out.seqs[i] = next;
      out.committed[i] = true;
      out.rows.push_back(
          StoredRecord{next, record.channel, record.created_ms, std::move(*payload)});
      ++next;
    }
    update_after_append_.bind(1, i64(next - 1))
        .bind(2, i64(out.rows.size()))
        .bind(3, i64(added_bytes))
        .bind(4, i64(extra_rejected + out.over_cap + out.render_failed));
    update_after_append_.run();
    // Before the rows can exist on disk, the side file must already cover their seqs.
    mark_.ensure(next - 1);
    commit();
  } catch (...) {
    db_.rollback_quietly();
    throw;
  }
  refresh();
  return out;
}

AckOutcome Store::ack(std::span<const std::uint64_t> seqs, std::int64_t publish_ms,
                      std::uint64_t extra_rejected, bool retain) {
  AckOutcome out;
  begin();
  try {
    // Acks arrive mostly as consecutive runs: one range delete per run.
    for (std::size_t i = 0; i < seqs.size();) {
      std::size_t j = i + 1;
      while (j < seqs.size() && seqs[j] == seqs[j - 1] + 1) ++j;
      if (retain) {  // the very rows the delete below removes, so the counters agree
        retain_range_.bind(1, i64(seqs[i])).bind(2, i64(seqs[j - 1])).bind(3, publish_ms);
        retain_range_.run();
      }
      delete_range_.bind(1, i64(seqs[i])).bind(2, i64(seqs[j - 1]));
      sqlite::ResetOnExit guard(delete_range_);
      while (delete_range_.step()) {
        ++out.deleted_rows;
        out.deleted_bytes += static_cast<std::uint64_t>(delete_range_.int64(0));
      }
      i = j;
    }
    update_after_ack_.bind(1, i64(out.deleted_rows))
        .bind(2, i64(out.deleted_bytes))
        .bind(3, publish_ms);
    update_after_ack_.run();
    if (retain && out.deleted_rows > 0) {
      update_delivered_.bind(1, i64(out.deleted_rows)).bind(2, i64(out.deleted_bytes));
      update_delivered_.run();
    }
    if (extra_rejected > 0) {
      add_rejected_.bind(1, i64(extra_rejected));
      add_rejected_.run();
    }
    commit();
  } catch (...) {
    db_.rollback_quietly();
    throw;
  }
  refresh();
  return out;
}

PruneOutcome Store::prune_delivered(std::int64_t cutoff_ms, std::uint64_t max_bytes,
                                    std::size_t max_rows) {
  PruneOutcome out;
  if (meta_.delivered_count == 0 || max_rows == 0) return out;
  begin();
  try {
    const schema::Meta meta = schema::read_meta(select_meta_, db_.path());
    std::uint64_t last = 0;
    {
      select_delivered_.bind(1, i64(max_rows));
      sqlite::ResetOnExit guard(select_delivered_);
      std::size_t seen = 0;
      while (select_delivered_.step()) {
        ++seen;
        const bool too_old = select_delivered_.int64(1) < cutoff_ms;
        const bool too_big = max_bytes != 0 && meta.delivered_bytes - out.bytes > max_bytes;
        if (!too_old && !too_big) break;
        last = static_cast<std::uint64_t>(select_delivered_.int64(0));
        out.bytes += static_cast<std::uint64_t>(select_delivered_.int64(2));
        ++out.rows;
      }
      out.more = out.rows == seen && seen == max_rows;
    }
    if (out.rows > 0) {
      delete_delivered_to_.bind(1, i64(last));
      delete_delivered_to_.run();
      update_delivered_.bind(1, -i64(out.rows)).bind(2, -i64(out.bytes));
      update_delivered_.run();
    }
    commit();
  } catch (...) {
    db_.rollback_quietly();
    throw;
  }
  refresh();
  return out;
}

PruneOutcome Store::drop_delivered() {
  PruneOutcome out;
  if (meta_.delivered_count == 0) return out;
  begin();
  try {
    db_.exec("DELETE FROM delivered");  // no WHERE: SQLite's truncate optimisation
    db_.exec("UPDATE meta SET delivered_count = 0, delivered_bytes = 0 WHERE id = 1");
    out.rows = meta_.delivered_count;
    out.bytes = meta_.delivered_bytes;
    commit();
  } catch (...) {
    db_.rollback_quietly();
    throw;
  }
  refresh();
  return out;
}

void Store::write_state(const std::vector<StateWrite>& writes, std::int64_t now_ms) {
  for (const StateWrite& w : writes) {
    if (w.value) {  // also with `prefix` set: documented as a plain write of `key`
      upsert_state_.bind_text(1, w.key).bind_text(2, *w.value).bind(3, now_ms);
      upsert_state_.run();
    } else if (!w.prefix) {
      delete_state_.bind_text(1, w.key);
      delete_state_.run();
    } else if (const std::optional<std::string> end = prefix_end(w.key)) {
      delete_state_range_.bind_text(1, w.key).bind_text(2, *end);
      delete_state_range_.run();
    } else {
      delete_state_from_.bind_text(1, w.key);
      delete_state_from_.run();
    }
  }
}

void Store::write_plans(const std::vector<PlanWrite>& writes) {
  for (const PlanWrite& w : writes) {
    if (w.row) {
      upsert_plan_.bind_text(1, w.plan_id)
          .bind(2, static_cast<std::int64_t>(w.row->revision))
          .bind_text(3, w.row->source)
          .bind(4, w.row->received_ms)
          .bind_text(5, w.row->document);
      upsert_plan_.run();
    } else {
      delete_plan_.bind_text(1, w.plan_id);
      delete_plan_.run();
    }
  }
}

std::vector<PlanRow> Store::read_plans() {
  sqlite::Stmt select = db_.prepare(schema::select_plans_sql);
  return schema::read_plans(select);
}

std::map<std::string, std::string> Store::read_state() {
  std::map<std::string, std::string> all;
  sqlite::Stmt select = db_.prepare("SELECT key, value FROM state");
  while (select.step()) all.emplace(select.bytes(0), select.bytes(1));
  return all;
}

void Store::add_rejected(std::uint64_t n) {
  begin();
  try {
    add_rejected_.bind(1, i64(n));
    add_rejected_.run();
    commit();
  } catch (...) {
    db_.rollback_quietly();
    throw;
  }
  refresh();
}

std::uint64_t Store::free_pages() {
  return static_cast<std::uint64_t>(db_.query_int("PRAGMA freelist_count"));
}

void Store::vacuum(std::uint64_t max_pages) {
  db_.exec("PRAGMA incremental_vacuum(" + std::to_string(max_pages) + ")");
}

bool Store::checkpoint(bool truncate) noexcept {
  int log_frames = 0;
  int done_frames = 0;
  // TRUNCATE would otherwise wait (busy handler) for readers to move to the newest snapshot
  // and stall the writer thread; instead try again at the next idle moment.
  if (truncate) sqlite3_busy_timeout(db_.handle(), 0);
  const int rc = sqlite3_wal_checkpoint_v2(
      db_.handle(), nullptr, truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE,
      &log_frames, &done_frames);
  if (truncate) sqlite3_busy_timeout(db_.handle(), sqlite::busy_timeout_ms);
  const bool changed = rc != checkpoint_rc_;  // log once per change, not per retry
  checkpoint_rc_ = rc;
  if (changed && rc != SQLITE_OK && rc != SQLITE_BUSY) {
    spdlog::warn("outbox '{}': WAL checkpoint failed: {}", db_.path(),
                 sqlite3_errmsg(db_.handle()));
  }
  return rc == SQLITE_OK && log_frames == done_frames;
}

void Store::close() noexcept {
  checkpoint(true);
  // Finalize statements before the connection so sqlite3_close_v2 can release it at once.
  for (sqlite::Stmt* stmt :
       {&begin_, &commit_, &select_meta_, &select_oldest_, &insert_, &update_after_append_,
        &delete_range_, &update_after_ack_, &add_rejected_, &upsert_state_, &delete_state_,
        &delete_state_from_, &delete_state_range_, &upsert_plan_, &delete_plan_, &retain_range_,
        &select_delivered_, &delete_delivered_to_, &update_delivered_}) {
    *stmt = sqlite::Stmt();
  }
  db_.close();
}

}  // namespace dockgate::buffer

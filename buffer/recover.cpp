// SPDX-License-Identifier: Apache-2.0
#include "buffer/recover.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "buffer/salvage.hpp"

namespace dockgate::buffer {

namespace {

std::int64_t i64(std::uint64_t v) {
  return static_cast<std::int64_t>(v);
}

void insert_rows(sqlite::Db& db, const std::vector<StoredRecord>& rows, std::uint64_t last_seq) {
  db.exec("BEGIN IMMEDIATE");
  try {
    sqlite::Stmt insert = db.prepare(
        "INSERT OR IGNORE INTO outbox (seq, channel, created_ms, payload) VALUES (?1, ?2, ?3, "
        "?4)");
    std::uint64_t bytes = 0;
    for (const StoredRecord& r : rows) {
      insert.bind(1, i64(r.seq))
          .bind(2, static_cast<std::int64_t>(r.channel))
          .bind(3, r.created_ms)
          .bind_blob(4, r.payload);
      insert.run();
      bytes += r.payload.size();
    }
    sqlite::Stmt meta = db.prepare(
        "UPDATE meta SET last_seq = max(last_seq, ?1), pending_count = pending_count + ?2,"
        " pending_bytes = pending_bytes + ?3 WHERE id = 1");
    meta.bind(1, i64(last_seq)).bind(2, i64(rows.size())).bind(3, i64(bytes));
    meta.run();
    db.exec("COMMIT");
  } catch (...) {
    db.rollback_quietly();
    throw;
  }
}

}  // namespace

// Only the outbox rows come back: they are the events no one else holds. The old file's
// `state` (open dock sessions, plan progress) and `plans` (schema v3) rows are not
// salvaged: a half-read state row could restore a session or a plan that is wrong, and the
// plans are received again from the retained MQTT plans topic and the plans directory. The
// moved file keeps them for an operator (buffer/README.md, "Salvage of a corrupt file").
void restore_after_loss(OpenedDb& opened, SeqMark& mark, OpenReport& report) {
  const std::uint64_t stored_mark = mark.load().value_or(0);
  const std::uint64_t last_seq =
      static_cast<std::uint64_t>(opened.db.query_int("SELECT last_seq FROM meta WHERE id = 1"));
  if (opened.moved_aside_to.empty()) {
    if (opened.created && stored_mark > last_seq) {
      spdlog::warn(
          "outbox '{}': new database but the seq mark '{}' says seqs up to {} may have been "
          "used; numbering continues above it",
          opened.db.path(), mark.path(), stored_mark);
      insert_rows(opened.db, {}, stored_mark);
    }
    return;
  }
  SalvageResult s = salvage(opened.moved_aside_to);
  const std::uint64_t max_found = s.rows.empty() ? 0 : s.rows.back().seq;
  const std::uint64_t high = std::max({stored_mark, s.last_seq.value_or(0), max_found, last_seq});
  if (s.pending) {
    report.unrecoverable = *s.pending > s.rows.size() ? *s.pending - s.rows.size() : 0;
  } else if (!s.rows.empty()) {
    report.unrecoverable = (max_found - s.rows.front().seq + 1) - s.rows.size();
  }
  insert_rows(opened.db, s.rows, high);
  report.salvaged = s.rows.size();
  report.previous_last_seq = high;
  spdlog::error(
      "outbox '{}': salvaged {} rows from the corrupt file '{}' ({} through SQLite, {} by page "
      "scan, {} candidates rejected); {} pending rows could not be read; numbering continues "
      "above {}",
      opened.db.path(), s.rows.size(), opened.moved_aside_to, s.from_btree, s.from_pages, s.invalid,
      report.unrecoverable, high);
}

}  // namespace dockgate::buffer

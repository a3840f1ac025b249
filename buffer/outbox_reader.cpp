// SPDX-License-Identifier: Apache-2.0
// OutboxReader: a read-only connection beside the writer. WAL gives it a consistent
// snapshot per statement without blocking the writer's commits.
#include <algorithm>
#include <filesystem>
#include <limits>
#include <system_error>

#include "buffer/outbox.hpp"
#include "buffer/schema.hpp"
#include "buffer/sqlite_db.hpp"

namespace dockgate::buffer {

struct OutboxReader::Impl {
  sqlite::Db db;
  sqlite::Stmt fetch, begin, commit, select_meta, select_oldest;
  sqlite::Stmt fetch_delivered, covered;
};

namespace {

void check_is_outbox(sqlite::Db& db) {
  std::int64_t version = 0;
  try {
    version = db.query_int("PRAGMA user_version");
  } catch (const sqlite::Error& e) {
    throw OutboxError("outbox '" + db.path() + "': not a readable SQLite database: " + e.what());
  }
  if (version == 0) {
    throw OutboxError("outbox '" + db.path() + "': not a dockgate outbox (no schema version)");
  }
  if (version > schema::schema_version) {
    throw OutboxError("outbox '" + db.path() + "': schema version " + std::to_string(version) +
                      " was written by a newer dockgate (this one reads " +
                      std::to_string(schema::schema_version) + ")");
  }
  if (version < schema::schema_version) {
    throw OutboxError("outbox '" + db.path() + "': schema version " + std::to_string(version) +
                      " is older than " + std::to_string(schema::schema_version) +
                      "; start the dockgate daemon once to migrate it");
  }
}

}  // namespace

namespace {

constexpr auto kMaxSeq = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

/// Steps a prepared `SELECT seq, channel, created_ms, payload` into rows, stopping before the
/// row that would take the payload past max_bytes (the first row always fits).
std::vector<StoredRecord> read_rows(sqlite::Stmt& stmt, std::size_t max_bytes) {
  std::vector<StoredRecord> rows;
  sqlite::ResetOnExit guard(stmt);  // ends the read snapshot even when we stop early
  std::size_t bytes = 0;
  while (stmt.step()) {
    // Check the size before copying: the row that does not fit stays for the next fetch.
    const std::size_t size = stmt.size(3);
    if (!rows.empty() && bytes + size > max_bytes) break;
    bytes += size;
    StoredRecord row;
    row.seq = static_cast<std::uint64_t>(stmt.int64(0));
    row.channel = static_cast<Channel>(stmt.int64(1));
    row.created_ms = stmt.int64(2);
    row.payload = stmt.bytes(3);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

OutboxReader::OutboxReader(const std::string& path) : impl_(std::make_unique<Impl>()) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw OutboxError("outbox '" + path + "': no such database file");
  }
  impl_->db = sqlite::Db::open(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
  // The writer's checkpoints briefly lock the WAL index; wait rather than fail.
  sqlite3_busy_timeout(impl_->db.handle(), sqlite::busy_timeout_ms);
  check_is_outbox(impl_->db);
  // Reads are sequential over the tail of the table: a small cache keeps the daemon's RSS
  // flat however large the backlog is (the OS page cache does the rest).
  impl_->db.exec("PRAGMA cache_size = -1024");
  try {
    impl_->fetch = impl_->db.prepare(
        "SELECT seq, channel, created_ms, payload FROM outbox WHERE seq >= ?1 ORDER BY seq "
        "LIMIT ?2");
    impl_->begin = impl_->db.prepare("BEGIN");
    impl_->commit = impl_->db.prepare("COMMIT");
    impl_->select_meta = impl_->db.prepare(schema::select_meta_sql);
    impl_->select_oldest = impl_->db.prepare(schema::select_oldest_sql);
    impl_->fetch_delivered = impl_->db.prepare(
        "SELECT seq, channel, created_ms, payload FROM delivered WHERE seq BETWEEN ?1 AND ?2 "
        "ORDER BY seq LIMIT ?3");
    // Both tables are keyed by seq: SQLite merges the two rowid-ordered scans.
    impl_->covered = impl_->db.prepare(
        "SELECT seq, 0 FROM delivered WHERE seq BETWEEN ?1 AND ?2 "
        "UNION ALL SELECT seq, 1 FROM outbox WHERE seq BETWEEN ?1 AND ?2 ORDER BY 1");
  } catch (const sqlite::Error& e) {
    throw OutboxError("outbox '" + path + "': not a dockgate outbox: " + e.what());
  }
}

OutboxReader::~OutboxReader() = default;

std::vector<StoredRecord> OutboxReader::fetch(std::uint64_t from_seq, std::size_t max_rows,
                                              std::size_t max_bytes) {
  if (max_rows == 0 || from_seq > kMaxSeq) return {};
  const auto limit = static_cast<std::int64_t>(std::min<std::uint64_t>(max_rows, kMaxSeq));
  sqlite::Stmt& stmt = impl_->fetch;
  stmt.bind(1, static_cast<std::int64_t>(from_seq)).bind(2, limit);
  return read_rows(stmt, max_bytes);
}

std::vector<StoredRecord> OutboxReader::fetch_delivered(std::uint64_t from_seq,
                                                        std::uint64_t to_seq, std::size_t max_rows,
                                                        std::size_t max_bytes) {
  if (max_rows == 0 || from_seq > to_seq || from_seq > kMaxSeq) return {};
  sqlite::Stmt& stmt = impl_->fetch_delivered;
  stmt.bind(1, static_cast<std::int64_t>(from_seq))
      .bind(2, static_cast<std::int64_t>(std::min(to_seq, kMaxSeq)))
      .bind(3, static_cast<std::int64_t>(std::min<std::uint64_t>(max_rows, kMaxSeq)));
  return read_rows(stmt, max_bytes);
}

RangeCoverage OutboxReader::coverage(std::uint64_t from_seq, std::uint64_t to_seq,
                                     std::size_t max_ranges) {
  RangeCoverage out;
  if (from_seq > to_seq) return out;
  const auto note_missing = [&](std::uint64_t a, std::uint64_t b) {
    out.missing += b - a + 1;
    if (out.missing_ranges.size() < max_ranges) out.missing_ranges.push_back({a, b});
  };
  std::uint64_t next = from_seq;  // lowest seq not yet accounted for
  if (from_seq <= kMaxSeq) {
    sqlite::Stmt& stmt = impl_->covered;
    stmt.bind(1, static_cast<std::int64_t>(from_seq))
        .bind(2, static_cast<std::int64_t>(std::min(to_seq, kMaxSeq)));
    sqlite::ResetOnExit guard(stmt);
    while (stmt.step()) {
      const auto seq = static_cast<std::uint64_t>(stmt.int64(0));
      if (seq < next) continue;  // in both tables for a moment: counted once
      if (seq > next) note_missing(next, seq - 1);
      ++(stmt.int64(1) == 0 ? out.retained : out.pending);
      next = seq + 1;
    }
  }
  if (next <= to_seq) note_missing(next, to_seq);
  return out;
}

std::map<std::string, std::string> OutboxReader::state(const std::string& prefix) {
  std::map<std::string, std::string> out;
  if (impl_->db.query_int("PRAGMA user_version") < 2) return out;  // no state table yet
  sqlite::Stmt select = impl_->db.prepare(
      "SELECT key, value FROM state WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key");
  select.bind_text(1, prefix);
  while (select.step()) out.emplace(select.bytes(0), select.bytes(1));
  return out;
}

std::vector<PlanRow> OutboxReader::plans() {
  if (impl_->db.query_int("PRAGMA user_version") < 3) return {};  // no plans table yet
  sqlite::Stmt select = impl_->db.prepare(schema::select_plans_sql);
  return schema::read_plans(select);
}

OutboxStats OutboxReader::stats() {
  OutboxStats s;
  // One read transaction: the counters and the oldest row come from the same commit.
  impl_->begin.run();
  try {
    const schema::Meta meta = schema::read_meta(impl_->select_meta, impl_->db.path());
    s.oldest_created_ms = schema::read_oldest(impl_->select_oldest);
    impl_->commit.run();
    s.pending_count = meta.pending_count;
    s.pending_bytes = meta.pending_bytes;
    s.last_seq = meta.last_seq;
    s.acked_total = meta.acked_total;
    s.rejected_total = meta.rejected_total;
    s.last_publish_ms = meta.last_publish_ms;
    s.retained_count = meta.delivered_count;
    s.retained_bytes = meta.delivered_bytes;
  } catch (...) {
    impl_->db.rollback_quietly();
    throw;
  }
  std::error_code ec;
  const auto size = std::filesystem::file_size(impl_->db.path(), ec);
  s.file_bytes = ec ? 0 : size;
  const auto wal = std::filesystem::file_size(impl_->db.path() + "-wal", ec);
  s.file_bytes += ec ? 0 : wal;  // the WAL takes disk space too
  return s;
}

}  // namespace dockgate::buffer

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
  } catch (const sqlite::Error& e) {
    throw OutboxError("outbox '" + path + "': not a dockgate outbox: " + e.what());
  }
}

OutboxReader::~OutboxReader() = default;

std::vector<StoredRecord> OutboxReader::fetch(std::uint64_t from_seq, std::size_t max_rows,
                                              std::size_t max_bytes) {
  std::vector<StoredRecord> rows;
  if (max_rows == 0) return rows;
  constexpr auto kMaxI64 = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (from_seq > kMaxI64) return rows;
  const auto limit = static_cast<std::int64_t>(std::min<std::uint64_t>(max_rows, kMaxI64));
  sqlite::Stmt& stmt = impl_->fetch;
  stmt.bind(1, static_cast<std::int64_t>(from_seq)).bind(2, limit);
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

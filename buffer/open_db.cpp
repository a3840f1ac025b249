// SPDX-License-Identifier: Apache-2.0
#include "buffer/open_db.hpp"

#include <spdlog/spdlog.h>

#include <ctime>
#include <filesystem>
#include <system_error>

#include "buffer/schema.hpp"

namespace dockgate::buffer {

namespace fs = std::filesystem;

namespace {

// After a checkpoint the WAL file is truncated back to this size (bytes).
constexpr std::int64_t kJournalSizeLimit = 16LL * 1024 * 1024;
// Page cache of the writer connection, in KiB (negative = KiB in PRAGMA cache_size).
// Appends touch the right edge of the b-tree and acks the left: a small cache suffices and
// keeps RSS flat with a backlog of millions of rows.
constexpr int kCacheKiB = 2048;

std::string utc_stamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return {buf, n};
}

bool exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(path, ec));
}

void rename_or_throw(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) {
    throw OutboxError("outbox '" + from + "': cannot move the corrupt file aside to '" + to +
                      "': " + ec.message());
  }
}

// "ok", or the first problems quick_check found.
std::string quick_check(sqlite::Db& db) {
  sqlite::Stmt stmt = db.prepare("PRAGMA quick_check(5)");
  sqlite::ResetOnExit guard(stmt);
  std::string result;
  while (stmt.step()) {
    if (!result.empty()) result += "; ";
    result += stmt.bytes(0);
  }
  return result;
}

void preserve_on_close(sqlite::Db& db, bool preserve) {
  sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, preserve ? 1 : 0, nullptr);
  int persist = preserve ? 1 : 0;
  sqlite3_file_control(db.handle(), "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
}

void configure(sqlite::Db& db, const OutboxOptions& options, bool fresh) {
  if (fresh) {
    // Only effective before the first table exists (the file header records it).
    db.exec("PRAGMA auto_vacuum = INCREMENTAL");
  }
  sqlite::Stmt wal = db.prepare("PRAGMA journal_mode = WAL");
  {
    sqlite::ResetOnExit guard(wal);
    const std::string mode = wal.step() ? wal.bytes(0) : std::string();
    if (mode != "wal") {
      // Without WAL, readers would block the writer and vice versa.
      throw OutboxError("outbox '" + db.path() + "': cannot switch to WAL mode (got '" + mode +
                        "'); is the file on a network file system?");
    }
  }
  // FULL: a commit is on disk before DoneFn(true). NORMAL in WAL mode survives a process
  // crash but may lose the last commits on power loss.
  db.exec(options.sync == "normal" ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL");
  // Debian builds SQLite with SECURE_DELETE on: every delete would overwrite the payload.
  db.exec("PRAGMA secure_delete = OFF");
  db.exec("PRAGMA journal_size_limit = " + std::to_string(kJournalSizeLimit));
  db.exec("PRAGMA cache_size = -" + std::to_string(kCacheKiB));
  db.exec("PRAGMA temp_store = MEMORY");
  sqlite3_busy_timeout(db.handle(), sqlite::busy_timeout_ms);
}

void apply_file_cap(sqlite::Db& db, std::uint64_t max_file_bytes) {
  if (max_file_bytes == 0) return;
  const auto page_size = static_cast<std::uint64_t>(db.query_int("PRAGMA page_size"));
  const std::uint64_t pages = max_file_bytes / page_size;
  // SQLite keeps the limit at least at the current page count.
  db.query_int("PRAGMA max_page_count = " + std::to_string(pages == 0 ? 1 : pages));
}

// Gap-free numbering relies on meta.last_seq; a row above it means the counters were edited
// by hand. Repair upwards so a seq is never reused.
void repair_last_seq(sqlite::Db& db) {
  const std::int64_t max_seq = db.query_int("SELECT coalesce(max(seq), 0) FROM outbox");
  const std::int64_t last_seq = db.query_int("SELECT last_seq FROM meta WHERE id = 1");
  if (max_seq > last_seq) {
    spdlog::warn("outbox '{}': meta.last_seq {} is below the highest stored seq {}; repaired",
                 db.path(), last_seq, max_seq);
    db.exec("UPDATE meta SET last_seq = " + std::to_string(max_seq) + " WHERE id = 1");
  }
}

// One attempt on the file as it is. Corruption surfaces as a sqlite::Error with corrupt().
OpenedDb try_open(const OutboxOptions& options) {
  OpenedDb opened;
  opened.db = sqlite::Db::open(options.path,
                               SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
  sqlite::Db& db = opened.db;
  // Until the file is known to be sound, closing must not checkpoint into it or delete its
  // -wal: a corrupt file is moved aside as found, with its WAL.
  preserve_on_close(db, true);
  const std::string check = quick_check(db);
  if (check != "ok") {
    throw sqlite::Error(SQLITE_CORRUPT,
                        "outbox '" + options.path + "': PRAGMA quick_check failed: " + check);
  }
  preserve_on_close(db, false);
  schema::check_compatible(db);  // before any pragma writes to a file that may not be ours
  const bool fresh = schema::is_empty(db);
  configure(db, options, fresh);
  opened.created = schema::migrate(db);
  repair_last_seq(db);
  apply_file_cap(db, options.max_file_bytes);
  return opened;
}

void check_options(const OutboxOptions& options) {
  if (options.path.empty()) throw OutboxError("outbox: buffer.path is empty");
  if (options.sync != "full" && options.sync != "normal") {
    throw OutboxError("outbox: buffer.sync must be \"full\" or \"normal\", got \"" + options.sync +
                      "\"");
  }
  if (options.commit_max_rows == 0) throw OutboxError("outbox: commit_max_rows must be >= 1");
  if (options.commit_max_delay.count() < 0) {
    throw OutboxError("outbox: commit_max_delay must not be negative");
  }
  if (options.max_queued_records == 0) {
    throw OutboxError("outbox: max_queued_records must be >= 1");
  }
}

}  // namespace

std::string move_aside(const std::string& path) {
  const std::string base = path + ".corrupt-" + utc_stamp();
  std::string target = base;
  for (int n = 1; exists(target) || exists(target + "-wal") || exists(target + "-shm"); ++n) {
    target = base + "-" + std::to_string(n);
  }
  // The WAL first: a stale WAL left next to a new database would be replayed into it.
  for (const char* suffix : {"-wal", "-shm"}) {
    if (exists(path + suffix)) rename_or_throw(path + suffix, target + suffix);
  }
  rename_or_throw(path, target);
  return target;
}

OpenedDb open_writer_db(const OutboxOptions& options) {
  check_options(options);
  const fs::path parent = fs::path(options.path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) {
      throw OutboxError("outbox '" + options.path + "': cannot create directory '" +
                        parent.string() + "': " + ec.message());
    }
  }
  std::error_code ec;
  if (fs::is_directory(options.path, ec)) {
    throw OutboxError("outbox '" + options.path + "': is a directory, expected a database file");
  }
  try {
    return try_open(options);
  } catch (const sqlite::Error& e) {
    if (!e.corrupt()) throw;
    const std::string aside = move_aside(options.path);
    spdlog::error("outbox '{}': database is corrupt ({}); moved it to '{}' and starting a new one",
                  options.path, e.what(), aside);
    OpenedDb opened = try_open(options);
    opened.moved_aside_to = aside;
    return opened;
  }
}

}  // namespace dockgate::buffer

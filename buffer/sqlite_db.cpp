// SPDX-License-Identifier: Apache-2.0
#include "buffer/sqlite_db.hpp"

#include <utility>

namespace dockgate::buffer::sqlite {

namespace {

std::string describe(const std::string& path, std::string_view what, int rc, const char* msg) {
  std::string text = "outbox '" + path + "': ";
  text.append(what);
  text += ": ";
  text += (msg != nullptr && *msg != '\0') ? msg : sqlite3_errstr(rc);
  text += " (";
  text += sqlite3_errstr(rc);
  text += ", code " + std::to_string(rc) + ")";
  return text;
}

}  // namespace

// ---- Stmt -------------------------------------------------------------------------------

Stmt::~Stmt() {
  sqlite3_finalize(stmt_);
}

Stmt::Stmt(Stmt&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), path_(std::move(other.path_)) {}

Stmt& Stmt::operator=(Stmt&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

Stmt& Stmt::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) {
    throw Error(rc, describe(path_, "bind", rc, sqlite3_errmsg(sqlite3_db_handle(stmt_))));
  }
  return *this;
}

Stmt& Stmt::bind_blob(int index, std::string_view bytes) {
  // A non-null pointer even for "" so SQLite stores a zero-length blob, not NULL.
  static const char kEmpty = '\0';
  const char* data = bytes.empty() ? &kEmpty : bytes.data();
  const int rc = sqlite3_bind_blob64(stmt_, index, data, bytes.size(), SQLITE_STATIC);
  if (rc != SQLITE_OK) {
    throw Error(rc, describe(path_, "bind", rc, sqlite3_errmsg(sqlite3_db_handle(stmt_))));
  }
  return *this;
}

Stmt& Stmt::bind_text(int index, std::string_view text) {
  static const char kEmpty = '\0';
  const char* data = text.empty() ? &kEmpty : text.data();
  const int rc = sqlite3_bind_text64(stmt_, index, data, text.size(), SQLITE_STATIC, SQLITE_UTF8);
  if (rc != SQLITE_OK) {
    throw Error(rc, describe(path_, "bind", rc, sqlite3_errmsg(sqlite3_db_handle(stmt_))));
  }
  return *this;
}

bool Stmt::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Read the message before reset: reset may replace it.
  Error error(sqlite3_extended_errcode(sqlite3_db_handle(stmt_)),
              describe(path_, sqlite3_sql(stmt_), rc, sqlite3_errmsg(sqlite3_db_handle(stmt_))));
  sqlite3_reset(stmt_);
  throw error;
}

void Stmt::run() {
  ResetOnExit guard(*this);
  while (step()) {
  }
}

void Stmt::reset() noexcept {
  if (stmt_ != nullptr) sqlite3_reset(stmt_);
}

std::int64_t Stmt::int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

bool Stmt::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::size_t Stmt::size(int column) const {
  const int n = sqlite3_column_bytes(stmt_, column);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

std::string Stmt::bytes(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) return {};
  return {static_cast<const char*>(data), static_cast<std::size_t>(size)};
}

// ---- Db ---------------------------------------------------------------------------------

Db Db::open(const std::string& path, int flags) {
  Db db;
  db.path_ = path;
  const int rc = sqlite3_open_v2(path.c_str(), &db.db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    // On most failures SQLite still allocates a handle that carries the message.
    const char* msg = db.db_ != nullptr ? sqlite3_errmsg(db.db_) : nullptr;
    throw Error(rc, describe(path, "cannot open", rc, msg));
  }
  sqlite3_extended_result_codes(db.db_, 1);
  return db;
}

Db::Db(Db&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    close();
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

void Db::exec(const std::string& sql) {
  char* msg = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg);
  if (rc != SQLITE_OK) {
    Error error(sqlite3_extended_errcode(db_), describe(path_, sql, rc, msg));
    sqlite3_free(msg);
    throw error;
  }
}

Stmt Db::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) throw error(rc, sql);
  return {stmt, path_};
}

std::int64_t Db::query_int(const std::string& sql) {
  Stmt stmt = prepare(sql);
  ResetOnExit guard(stmt);
  return stmt.step() ? stmt.int64(0) : 0;
}

void Db::rollback_quietly() noexcept {
  // Some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM) already rolled back on their own.
  if (db_ != nullptr && sqlite3_get_autocommit(db_) == 0) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

Error Db::error(int rc, std::string_view what) const {
  const int code = db_ != nullptr ? sqlite3_extended_errcode(db_) : rc;
  return {code, describe(path_, what, rc, db_ != nullptr ? sqlite3_errmsg(db_) : nullptr)};
}

void Db::close() noexcept {
  if (db_ != nullptr) {
    // Statements are owned by their users and finalized first; v2 defers if any remain.
    sqlite3_close_v2(db_);
    db_ = nullptr;
  }
}

}  // namespace dockgate::buffer::sqlite

// SPDX-License-Identifier: Apache-2.0
// Thin RAII wrappers over the SQLite C API, internal to buffer/. Every failure becomes a
// sqlite::Error carrying the extended result code and "<path>: <what>: <sqlite message>".
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "buffer/outbox.hpp"

namespace dockgate::buffer::sqlite {

/// How long a connection waits for a lock held by another connection before SQLITE_BUSY:
/// readers during a checkpoint, the writer behind an operator's sqlite3 shell.
inline constexpr int busy_timeout_ms = 5000;

/// A failed SQLite call. code() is the extended result code (SQLITE_FULL, SQLITE_IOERR_WRITE..).
class Error : public OutboxError {
 public:
  Error(int code, const std::string& what) : OutboxError(what), code_(code) {}
  [[nodiscard]] int code() const noexcept { return code_; }
  [[nodiscard]] int primary() const noexcept { return code_ & 0xff; }
  /// SQLITE_CORRUPT or SQLITE_NOTADB: the file must be moved aside, retrying cannot help.
  [[nodiscard]] bool corrupt() const noexcept {
    return primary() == SQLITE_CORRUPT || primary() == SQLITE_NOTADB;
  }

 private:
  int code_;
};

/// A prepared statement. Not thread-safe (like its connection). Move-only.
class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3_stmt* stmt, std::string path) : stmt_(stmt), path_(std::move(path)) {}
  ~Stmt();
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&& other) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  /// Parameters are 1-based, as in SQL (?1, ?2 ...).
  Stmt& bind(int index, std::int64_t value);
  /// Binds without copying: `bytes` must stay alive until the next step()/reset().
  Stmt& bind_blob(int index, std::string_view bytes);
  /// Binds UTF-8 text without copying (same lifetime rule as bind_blob). Use it where
  /// other tools compare with SQL string literals: a BLOB never equals a TEXT value.
  Stmt& bind_text(int index, std::string_view text);
  /// True when a row is ready, false when the statement is done. Throws Error (after reset).
  bool step();
  /// Steps to the end and resets: for INSERT/UPDATE/DELETE without rows.
  void run();
  /// Ends the statement's read so its snapshot is released; keeps the bindings.
  void reset() noexcept;

  [[nodiscard]] std::int64_t int64(int column) const;
  [[nodiscard]] bool is_null(int column) const;
  /// Size of a BLOB/TEXT column in bytes, without copying it.
  [[nodiscard]] std::size_t size(int column) const;
  /// The column as bytes (BLOB or TEXT), copied.
  [[nodiscard]] std::string bytes(int column) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
  std::string path_;
};

/// Resets a statement when the scope ends, so an exception never leaves a read open.
class ResetOnExit {
 public:
  explicit ResetOnExit(Stmt& stmt) : stmt_(stmt) {}
  ~ResetOnExit() { stmt_.reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  Stmt& stmt_;
};

/// One connection. Not thread-safe: use it from one thread at a time. Move-only.
class Db {
 public:
  /// sqlite3_open_v2 with `flags` (SQLITE_OPEN_*); extended result codes on. Throws Error.
  static Db open(const std::string& path, int flags);
  Db() = default;
  ~Db() { close(); }
  Db(Db&& other) noexcept;
  Db& operator=(Db&& other) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  /// Runs one or more statements, discarding rows. Throws Error.
  void exec(const std::string& sql);
  /// Prepares a statement meant to be reused (SQLITE_PREPARE_PERSISTENT). Throws Error.
  Stmt prepare(std::string_view sql);
  /// First column of the first row as an integer (PRAGMA page_count ...). Throws Error.
  std::int64_t query_int(const std::string& sql);
  /// Rolls back an open transaction, if any; never throws (used on error paths).
  void rollback_quietly() noexcept;
  /// Builds an Error for `rc` with this connection's message and path.
  [[nodiscard]] Error error(int rc, std::string_view what) const;
  void close() noexcept;

  [[nodiscard]] sqlite3* handle() const noexcept { return db_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace dockgate::buffer::sqlite

// SPDX-License-Identifier: Apache-2.0
// Opening the read-write connection: directory creation, PRAGMA quick_check, moving a
// corrupt file aside, the writer's pragmas and the schema migration.
#pragma once

#include <string>

#include "buffer/outbox_options.hpp"
#include "buffer/sqlite_db.hpp"

namespace dockgate::buffer {

/// The writer connection as Outbox::open() starts from.
struct OpenedDb {
  sqlite::Db db;
  bool created = false;        ///< the schema was created in a new (or empty) file
  std::string moved_aside_to;  ///< non-empty when a corrupt file was renamed
};

/// Opens `options.path` read-write, creating its directory and the schema when missing.
/// A file that SQLite rejects (SQLITE_CORRUPT / SQLITE_NOTADB) or that fails quick_check is
/// renamed by move_aside() and a fresh database is created in its place.
/// Throws OutboxError with the path and the reason when the file cannot be opened, created,
/// moved aside, or holds something other than a dockgate outbox.
OpenedDb open_writer_db(const OutboxOptions& options);

/// Renames `path` and its "-wal"/"-shm" companions to "<path>.corrupt-<UTC yyyymmddThhmmssZ>"
/// (plus "-wal"/"-shm"; a "-N" suffix when that name is taken). Never deletes anything.
/// Returns the new main path. Throws OutboxError when a rename fails.
std::string move_aside(const std::string& path);

}  // namespace dockgate::buffer

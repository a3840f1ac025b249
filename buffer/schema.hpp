// SPDX-License-Identifier: Apache-2.0
// The outbox schema, its version (PRAGMA user_version) and the steps that migrate an older
// file to it. One place for every table definition; see buffer/README.md for the layout.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "buffer/sqlite_db.hpp"

namespace dockgate::buffer::schema {

/// Stored in PRAGMA user_version. Bump it and add a step to migrate() for every change.
/// 1: outbox + meta (0.1). 2: table `state` (open dock sessions). 3: table `plans`, so that
/// accepted dock plans survive restarts and broker outages with the records they caused.
/// 4: table `delivered` and meta.delivered_count/bytes: acknowledged rows kept for replay
/// (buffer.retain_delivered).
inline constexpr std::int64_t schema_version = 4;

/// The single row of table `meta`: exact backlog counters, updated in the same transaction
/// as the appends and deletes so that reading them is O(1).
struct Meta {
  std::uint64_t last_seq = 0;       ///< highest gatewaySeq ever assigned (survives full acks)
  std::uint64_t pending_count = 0;  ///< rows in `outbox`
  std::uint64_t pending_bytes = 0;  ///< sum of their payload sizes (bytes)
  std::uint64_t acked_total = 0;    ///< rows deleted after a broker ack, ever
  std::uint64_t rejected_total = 0;
  std::optional<std::int64_t> last_publish_ms;  ///< UTC ms of the last ack batch
  std::uint64_t delivered_count = 0;            ///< rows in `delivered` (schema v4)
  std::uint64_t delivered_bytes = 0;            ///< sum of their payload sizes (bytes)
};

/// Reads the meta row and the created_ms of the lowest pending seq (both as one snapshot
/// when called inside a transaction).
inline constexpr const char* select_meta_sql =
    "SELECT last_seq, pending_count, pending_bytes, acked_total, rejected_total,"
    " last_publish_ms, delivered_count, delivered_bytes FROM meta WHERE id = 1";
inline constexpr const char* select_oldest_sql =
    "SELECT created_ms FROM outbox ORDER BY seq LIMIT 1";

/// Every row of table `plans` (schema v3), ordered by plan_id (the primary key's index).
inline constexpr const char* select_plans_sql =
    "SELECT plan_id, revision, source, received_ms, document FROM plans ORDER BY plan_id";

/// Steps a prepared select_meta_sql. Throws OutboxError when the row is missing.
Meta read_meta(sqlite::Stmt& select_meta, const std::string& path);
/// Steps a prepared select_oldest_sql; nullopt when the outbox is empty.
std::optional<std::int64_t> read_oldest(sqlite::Stmt& select_oldest);
/// Steps a prepared select_plans_sql to its end. Throws sqlite::Error.
std::vector<PlanRow> read_plans(sqlite::Stmt& select_plans);

/// Brings a database opened read-write to schema_version, in one transaction per step.
/// An empty file is created from scratch (PRAGMA auto_vacuum must be set before: it only
/// takes effect before the first table). Returns true when the file was empty.
/// Throws OutboxError for a foreign database (tables but no user_version) or one written
/// by a newer dockgate; sqlite::Error for SQLite failures.
bool migrate(sqlite::Db& db);

/// Throws OutboxError unless the file is empty or an outbox of schema_version or older.
/// Reads only: call it before changing anything in a file that may not be ours.
void check_compatible(sqlite::Db& db);

/// True when the database has no tables and no user_version: a new or zero-length file.
bool is_empty(sqlite::Db& db);

}  // namespace dockgate::buffer::schema

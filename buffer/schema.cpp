// SPDX-License-Identifier: Apache-2.0
#include "buffer/schema.hpp"

#include <array>
#include <string>
#include <utility>

namespace dockgate::buffer::schema {

namespace {

// Version 0 -> 1: the initial layout.
// - `seq INTEGER PRIMARY KEY` is the rowid itself: no second index, appends go to the
//   right edge of one B-tree and deletes by range are cheap.
// - `channel` 0/1 costs no body bytes (SQLite stores the constants 0 and 1 in the header).
// - `payload` is a BLOB: opaque bytes, length() is the byte count without reading them.
// - `meta` holds one row (id = 1) so counters are exact and O(1) at any backlog size.
constexpr const char* kCreateV1 = R"sql(
CREATE TABLE outbox (
  seq        INTEGER PRIMARY KEY,
  channel    INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  payload    BLOB    NOT NULL
);
CREATE TABLE meta (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  last_seq        INTEGER NOT NULL,
  pending_count   INTEGER NOT NULL,
  pending_bytes   INTEGER NOT NULL,
  acked_total     INTEGER NOT NULL,
  rejected_total  INTEGER NOT NULL,
  last_publish_ms INTEGER
);
INSERT INTO meta (id, last_seq, pending_count, pending_bytes, acked_total, rejected_total)
  VALUES (1, 0, 0, 0, 0, 0);
)sql";

// Version 1 -> 2: agent state kept beside the events it caused (open dock sessions), written
// in the same transactions. WITHOUT ROWID: a handful of small rows looked up by key.
constexpr const char* kAddStateV2 = R"sql(
CREATE TABLE state (
  key        TEXT    PRIMARY KEY,
  value      TEXT    NOT NULL,
  updated_ms INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Version 2 -> 3: accepted dock plans (JSON documents as received), written in the same
// transactions as the records that carry them (PendingRecord::plans). A normal rowid table,
// not WITHOUT ROWID: documents may be up to 1 MiB, and WITHOUT ROWID is meant for rows far
// smaller than a page (https://www.sqlite.org/withoutrowid.html section 4); here a large
// document spills to overflow pages and the plan_id index (sqlite_autoindex_plans_1) keeps
// one small entry per plan.
constexpr const char* kAddPlansV3 = R"sql(
CREATE TABLE plans (
  plan_id     TEXT    PRIMARY KEY,
  revision    INTEGER NOT NULL,
  source      TEXT    NOT NULL,
  received_ms INTEGER NOT NULL,
  document    TEXT    NOT NULL
);
)sql";

// Version 3 -> 4: rows the broker acknowledged, kept for replay on request
// (buffer.retain_delivered). The same layout as `outbox` plus the time of the PUBACK; moved
// here by the ack transaction. Its own table, so `outbox` still holds exactly the pending
// rows and every existing query and counter keeps its meaning. Counters in `meta` keep the
// retention checks O(1).
constexpr const char* kAddDeliveredV4 = R"sql(
CREATE TABLE delivered (
  seq          INTEGER PRIMARY KEY,
  channel      INTEGER NOT NULL,
  created_ms   INTEGER NOT NULL,
  delivered_ms INTEGER NOT NULL,
  payload      BLOB    NOT NULL
);
ALTER TABLE meta ADD COLUMN delivered_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meta ADD COLUMN delivered_bytes INTEGER NOT NULL DEFAULT 0;
)sql";

// steps[v] migrates from version v to v + 1. Only ever append: released databases are
// migrated in place on start (docs/operations.md, "Upgrades").
constexpr std::array<const char*, schema_version> kSteps = {kCreateV1, kAddStateV2, kAddPlansV3,
                                                            kAddDeliveredV4};

std::uint64_t as_u64(std::int64_t v) {
  return v < 0 ? 0 : static_cast<std::uint64_t>(v);
}

}  // namespace

Meta read_meta(sqlite::Stmt& select_meta, const std::string& path) {
  sqlite::ResetOnExit guard(select_meta);
  if (!select_meta.step()) {
    throw OutboxError("outbox '" + path + "': table meta has no row: not a dockgate outbox");
  }
  Meta meta;
  meta.last_seq = as_u64(select_meta.int64(0));
  meta.pending_count = as_u64(select_meta.int64(1));
  meta.pending_bytes = as_u64(select_meta.int64(2));
  meta.acked_total = as_u64(select_meta.int64(3));
  meta.rejected_total = as_u64(select_meta.int64(4));
  if (!select_meta.is_null(5)) meta.last_publish_ms = select_meta.int64(5);
  meta.delivered_count = as_u64(select_meta.int64(6));
  meta.delivered_bytes = as_u64(select_meta.int64(7));
  return meta;
}

std::optional<std::int64_t> read_oldest(sqlite::Stmt& select_oldest) {
  sqlite::ResetOnExit guard(select_oldest);
  if (!select_oldest.step()) return std::nullopt;
  return select_oldest.int64(0);
}

std::vector<PlanRow> read_plans(sqlite::Stmt& select_plans) {
  sqlite::ResetOnExit guard(select_plans);
  std::vector<PlanRow> all;
  while (select_plans.step()) {
    PlanRow row;
    row.plan_id = select_plans.bytes(0);
    row.revision = static_cast<std::uint32_t>(select_plans.int64(1));
    row.source = select_plans.bytes(2);
    row.received_ms = select_plans.int64(3);
    row.document = select_plans.bytes(4);
    all.push_back(std::move(row));
  }
  return all;
}

bool is_empty(sqlite::Db& db) {
  return db.query_int("PRAGMA user_version") == 0 &&
         db.query_int("SELECT count(*) FROM sqlite_schema") == 0;
}

void check_compatible(sqlite::Db& db) {
  const std::int64_t version = db.query_int("PRAGMA user_version");
  if (version == 0 && !is_empty(db)) {
    throw OutboxError("outbox '" + db.path() +
                      "': an SQLite database with other tables (user_version 0), not a dockgate "
                      "outbox; refusing to touch it");
  }
  if (version > schema_version) {
    throw OutboxError("outbox '" + db.path() + "': schema version " + std::to_string(version) +
                      " was written by a newer dockgate (this one knows " +
                      std::to_string(schema_version) + ")");
  }
}

bool migrate(sqlite::Db& db) {
  check_compatible(db);
  const std::int64_t version = db.query_int("PRAGMA user_version");
  const bool empty = version == 0;
  for (std::int64_t v = version; v < schema_version; ++v) {
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(kSteps[static_cast<std::size_t>(v)]);
      db.exec("PRAGMA user_version = " + std::to_string(v + 1));
      db.exec("COMMIT");
    } catch (...) {
      db.rollback_quietly();
      throw;
    }
  }
  return empty;
}

}  // namespace dockgate::buffer::schema

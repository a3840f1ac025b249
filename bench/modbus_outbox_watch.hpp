// SPDX-License-Identifier: Apache-2.0
// Watches a dockgate outbox (SQLite, WAL) from outside the agent, read-only: the highest
// gatewaySeq committed so far (meta.last_seq, written in the same transaction as the row).
// bench/modbus_bench polls it to time a sensor change -> committed milestone.
#pragma once

#include <cstdint>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace dockgate::bench {

class OutboxWatch {
 public:
  /// Opens `path` read-only (the agent must have created it). Throws std::runtime_error when
  /// it cannot be opened or has no meta table.
  explicit OutboxWatch(const std::string& path);
  ~OutboxWatch();
  OutboxWatch(const OutboxWatch&) = delete;
  OutboxWatch& operator=(const OutboxWatch&) = delete;

  /// meta.last_seq now (one short read transaction). Throws std::runtime_error on an SQLite
  /// error other than a busy database (then it returns the last value read).
  std::uint64_t last_seq();

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::uint64_t last_ = 0;
};

}  // namespace dockgate::bench

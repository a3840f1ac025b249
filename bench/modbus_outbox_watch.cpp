// SPDX-License-Identifier: Apache-2.0
#include "bench/modbus_outbox_watch.hpp"

#include <sqlite3.h>

#include <stdexcept>

namespace dockgate::bench {

OutboxWatch::OutboxWatch(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    const std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("outbox " + path + ": " + why);
  }
  sqlite3_busy_timeout(db_, 5);
  if (sqlite3_prepare_v2(db_, "SELECT last_seq FROM meta WHERE id = 1", -1, &stmt_, nullptr) !=
      SQLITE_OK) {
    const std::string why = sqlite3_errmsg(db_);
    sqlite3_close(db_);
    throw std::runtime_error("outbox " + path + ": " + why);
  }
}

OutboxWatch::~OutboxWatch() {
  sqlite3_finalize(stmt_);
  sqlite3_close(db_);
}

std::uint64_t OutboxWatch::last_seq() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    last_ = static_cast<std::uint64_t>(sqlite3_column_int64(stmt_, 0));
  } else if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED && rc != SQLITE_DONE) {
    const std::string why = sqlite3_errmsg(db_);
    sqlite3_reset(stmt_);
    throw std::runtime_error("outbox last_seq: " + why);
  }
  sqlite3_reset(stmt_);
  return last_;
}

}  // namespace dockgate::bench

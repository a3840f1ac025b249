// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the outbox tests: a temporary directory, a thread-safe record of
// DoneFn results, polling with a deadline, and raw SQLite queries for checking files.
#pragma once

#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "buffer/outbox.hpp"

namespace dockgate::buffer::test {

/// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/dockgate-buffer-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// Polls `pred` every 2 ms until it holds or `timeout` passes; returns its last value.
inline bool wait_until(const std::function<bool()>& pred,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return pred();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

/// The fates of appended records, by the index the test gave each record. Callbacks share
/// the state, so a DoneFn that runs after the DoneLog is gone (an early ASSERT return) is safe.
class DoneLog {
 public:
  struct Fate {
    bool committed = false;
    std::uint64_t seq = 0;
    int calls = 0;  ///< must end up exactly 1
  };

  explicit DoneLog(std::size_t n) : state_(std::make_shared<State>()) { state_->fates.resize(n); }

  DoneFn callback(std::size_t index) {
    return [state = state_, index](bool committed, std::uint64_t seq) {
      std::lock_guard lock(state->mu);
      Fate& f = state->fates.at(index);
      f.committed = committed;
      f.seq = seq;
      ++f.calls;
      state->order.push_back(index);
      state->cv.notify_all();
    };
  }
  /// Waits until `n` DoneFn calls happened in total.
  bool wait_calls(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(state_->mu);
    return state_->cv.wait_for(lock, timeout, [&] { return state_->order.size() >= n; });
  }
  std::vector<Fate> fates() {
    std::lock_guard lock(state_->mu);
    return state_->fates;
  }
  /// Record indexes in the order their DoneFn ran.
  std::vector<std::size_t> order() {
    std::lock_guard lock(state_->mu);
    return state_->order;
  }
  std::size_t calls() {
    std::lock_guard lock(state_->mu);
    return state_->order.size();
  }

 private:
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<Fate> fates;
    std::vector<std::size_t> order;
  };
  std::shared_ptr<State> state_;
};

/// The payload every test record renders: checkable against its seq after the fact.
inline std::string payload_for(std::uint64_t seq, std::size_t size = 0) {
  std::string p = "row-" + std::to_string(seq) + ":";
  if (p.size() < size) p.append(size - p.size(), 'x');
  return p;
}

inline PendingRecord record(DoneFn done, std::size_t payload_size = 0,
                            std::int64_t created_ms = 1700000000000) {
  PendingRecord r;
  r.channel = Channel::event;
  r.created_ms = created_ms;
  r.render = [payload_size](std::uint64_t seq) { return payload_for(seq, payload_size); };
  r.on_done = std::move(done);
  return r;
}

inline OutboxOptions options_in(const TempDir& dir, const std::string& name = "outbox.db") {
  OutboxOptions o;
  o.path = dir.file(name);
  return o;
}

/// Reads a single value with a private connection (checks the file, not the daemon's view).
inline std::string query_text(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path);
  }
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

/// Runs SQL on a private read-write connection (to prepare foreign files).
inline void exec_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err != nullptr ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw std::runtime_error("exec_sql: " + msg);
}

/// Every row of the outbox as the reader returns it, from seq 1.
inline std::vector<StoredRecord> read_all(const std::string& path) {
  OutboxReader reader(path);
  return reader.fetch(1, 100000000, SIZE_MAX);
}

}  // namespace dockgate::buffer::test

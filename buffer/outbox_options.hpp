// SPDX-License-Identifier: Apache-2.0
// Settings of the SQLite outbox (config section `buffer:`). Defaults favour durability.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace dockgate::buffer {

struct OutboxOptions {
  /// SQLite database file. Created with its directory if missing.
  std::string path = "/var/lib/dockgate/outbox.db";
  /// "full": every commit is on disk before a read counts as accepted (default).
  /// "normal": WAL + NORMAL, may lose the last commits on power loss (not on a crash).
  std::string sync = "full";
  /// Group commit: a transaction closes after this many rows ...
  std::uint32_t commit_max_rows = 1000;
  /// ... or this long after its first row arrived, whichever comes first.
  std::chrono::milliseconds commit_max_delay{2};
  /// Cap on pending payload bytes; 0 = only the disk limits. Over the cap new records are
  /// rejected (never silently: each rejection reaches DoneFn and the counters).
  std::uint64_t max_bytes = 0;
  /// Rows fetched per SELECT when draining a backlog.
  std::uint32_t fetch_batch_rows = 2000;
  /// Records held in memory while the disk refuses writes (or before their commit). Beyond
  /// it new records are rejected (DoneFn(false, 0), counted in rejected_total).
  std::uint32_t max_queued_records = 20000;
  /// Hard cap on the database file (PRAGMA max_page_count); 0 = none. Reaching it behaves
  /// like a full disk: records wait in memory and are retried once acks free pages.
  std::uint64_t max_file_bytes = 0;
  /// Disk space held back in "<path>.reserve" for acks, checkpoints and the rejected counter
  /// on a full disk (deleted when they hit SQLITE_FULL, re-created when there is room; new
  /// appends wait while it is missing). 0 = none.
  std::uint64_t reserve_bytes = 512ULL * 1024;
  /// Rows the broker acknowledged are kept this long for replay on request (moved to table
  /// `delivered`); 0 = deleted at once. Pending rows always win the space: kept rows are
  /// dropped first when the disk or max_file_bytes is reached, and not kept at all while
  /// free disk space is short.
  std::chrono::milliseconds retain_delivered{0};
  /// Upper bound of the kept rows' payload bytes; the oldest go first. 0 = only the age.
  std::uint64_t retain_delivered_bytes = 0;
};

}  // namespace dockgate::buffer

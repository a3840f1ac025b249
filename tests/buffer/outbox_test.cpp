// SPDX-License-Identifier: Apache-2.0
// Outbox basics: numbering, group commit, commit listener, close, options and open errors.
#include <gtest/gtest.h>

#include <fstream>
#include <mutex>

#include "buffer/outbox.hpp"
#include "tests/buffer/test_util.hpp"

namespace dockgate::buffer {
namespace {

using test::DoneLog;
using test::TempDir;

TEST(Outbox, AppendsGetGapFreeSeqsInAppendOrder) {
  TempDir dir;
  OpenReport report;
  auto outbox = Outbox::open(test::options_in(dir), &report);
  EXPECT_TRUE(report.created);
  EXPECT_FALSE(report.recovered_corrupt);
  EXPECT_EQ(report.next_seq, 1u);

  constexpr std::size_t kN = 500;
  DoneLog log(kN);
  for (std::size_t i = 0; i < kN; ++i) outbox->append(test::record(log.callback(i)));
  ASSERT_TRUE(log.wait_calls(kN));

  const auto fates = log.fates();
  const auto order = log.order();
  for (std::size_t i = 0; i < kN; ++i) {
    EXPECT_EQ(order[i], i) << "DoneFn order";
    EXPECT_TRUE(fates[i].committed);
    EXPECT_EQ(fates[i].seq, i + 1);
    EXPECT_EQ(fates[i].calls, 1);
  }
  outbox->close();
  const auto rows = test::read_all(dir.file("outbox.db"));
  ASSERT_EQ(rows.size(), kN);
  for (std::size_t i = 0; i < kN; ++i) {
    EXPECT_EQ(rows[i].seq, i + 1);
    EXPECT_EQ(rows[i].payload, test::payload_for(i + 1)) << "RenderFn got the row's own seq";
  }
}

TEST(Outbox, CommitListenerGetsEveryRowOnceInSeqOrder) {
  TempDir dir;
  std::mutex mu;  // declared before the outbox: its listener uses them until close()
  std::vector<StoredRecord> seen;
  auto outbox = Outbox::open(test::options_in(dir));
  outbox->set_commit_listener([&](const std::vector<StoredRecord>& rows) {
    std::lock_guard lock(mu);
    seen.insert(seen.end(), rows.begin(), rows.end());
  });
  constexpr std::size_t kN = 300;
  DoneLog log(kN);
  for (std::size_t i = 0; i < kN; ++i) {
    PendingRecord r = test::record(log.callback(i), 0, 1000 + static_cast<std::int64_t>(i));
    r.channel = i % 3 == 0 ? Channel::exception : Channel::event;
    outbox->append(std::move(r));
  }
  ASSERT_TRUE(log.wait_calls(kN));
  outbox->close();  // the listener runs after the DoneFns of its commit
  std::lock_guard lock(mu);
  ASSERT_EQ(seen.size(), kN);
  for (std::size_t i = 0; i < kN; ++i) {
    EXPECT_EQ(seen[i].seq, i + 1);
    EXPECT_EQ(seen[i].payload, test::payload_for(i + 1));
    EXPECT_EQ(seen[i].created_ms, 1000 + static_cast<std::int64_t>(i));
    EXPECT_EQ(seen[i].channel, i % 3 == 0 ? Channel::exception : Channel::event);
  }
}

TEST(Outbox, GroupCommitSharesTransactions) {
  TempDir dir;
  OutboxOptions options = test::options_in(dir);
  options.commit_max_delay = std::chrono::milliseconds(20);
  auto outbox = Outbox::open(options);
  constexpr std::size_t kN = 1000;
  DoneLog log(kN);
  for (std::size_t i = 0; i < kN; ++i) outbox->append(test::record(log.callback(i)));
  ASSERT_TRUE(log.wait_calls(kN));
  const OutboxStats stats = outbox->stats();
  EXPECT_GE(stats.append_commits, 1u);
  EXPECT_LE(stats.append_commits, 20u) << "1000 appends in a burst must share transactions";
  EXPECT_EQ(stats.last_seq, kN);
}

TEST(Outbox, GroupCommitStopsAtMaxRows) {
  TempDir dir;
  OutboxOptions options = test::options_in(dir);
  options.commit_max_rows = 10;
  options.commit_max_delay = std::chrono::milliseconds(50);
  std::mutex mu;  // declared before the outbox: its listener uses them until close()
  std::vector<std::size_t> sizes;
  auto outbox = Outbox::open(options);
  outbox->set_commit_listener([&](const std::vector<StoredRecord>& rows) {
    std::lock_guard lock(mu);
    sizes.push_back(rows.size());
  });
  constexpr std::size_t kN = 1000;
  DoneLog log(kN);
  for (std::size_t i = 0; i < kN; ++i) outbox->append(test::record(log.callback(i)));
  ASSERT_TRUE(log.wait_calls(kN));
  outbox->close();
  std::lock_guard lock(mu);
  std::size_t total = 0;
  for (std::size_t s : sizes) {
    EXPECT_LE(s, 10u);
    total += s;
  }
  EXPECT_EQ(total, kN);
  EXPECT_GE(sizes.size(), 100u);
  EXPECT_EQ(outbox->stats().append_commits, sizes.size());
}

TEST(Outbox, ThrowingRenderRejectsOnlyThatRecordAndKeepsNumberingGapFree) {
  TempDir dir;
  auto outbox = Outbox::open(test::options_in(dir));
  DoneLog log(3);
  outbox->append(test::record(log.callback(0)));
  PendingRecord bad = test::record(log.callback(1));
  bad.render = [](std::uint64_t) -> std::string { throw std::runtime_error("bad template"); };
  outbox->append(std::move(bad));
  outbox->append(test::record(log.callback(2)));
  ASSERT_TRUE(log.wait_calls(3));
  const auto fates = log.fates();
  EXPECT_TRUE(fates[0].committed);
  EXPECT_EQ(fates[0].seq, 1u);
  EXPECT_FALSE(fates[1].committed);
  EXPECT_EQ(fates[1].seq, 0u);
  EXPECT_TRUE(fates[2].committed);
  EXPECT_EQ(fates[2].seq, 2u);
  EXPECT_EQ(outbox->stats().rejected_total, 1u);
}

TEST(Outbox, CloseIsIdempotentAndLaterAppendsAreRejectedAtOnce) {
  TempDir dir;
  auto outbox = Outbox::open(test::options_in(dir));
  DoneLog log(2);
  outbox->append(test::record(log.callback(0)));
  outbox->close();  // commits what is queued
  EXPECT_EQ(log.calls(), 1u);
  EXPECT_TRUE(log.fates()[0].committed);
  outbox->close();
  outbox->append(test::record(log.callback(1)));
  EXPECT_EQ(log.calls(), 2u) << "rejected on the caller's thread";
  EXPECT_FALSE(log.fates()[1].committed);
  outbox->ack({1}, 5);  // ignored, must not crash
  outbox.reset();
  EXPECT_EQ(test::read_all(dir.file("outbox.db")).size(), 1u);
}

TEST(Outbox, FreshFileHasSchemaAndPragmas) {
  TempDir dir;
  const std::string path = dir.file("sub/dir/outbox.db");  // parent directories are created
  OutboxOptions options;
  options.path = path;
  auto outbox = Outbox::open(options);
  EXPECT_EQ(test::query_text(path, "PRAGMA auto_vacuum"), "2") << "INCREMENTAL";
  EXPECT_EQ(test::query_text(path, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(test::query_text(path, "PRAGMA user_version"), "4");
  const std::string indexes = "SELECT group_concat(name) FROM sqlite_schema WHERE type = 'index'";
  EXPECT_EQ(test::query_text(path, indexes), "sqlite_autoindex_plans_1")
      << "seq is the rowid: no index on outbox; the only one is plans by plan_id";
}

TEST(Outbox, StorageStaysUnder700BytesPerRowFor560BytePayloads) {
  TempDir dir;
  const std::string path = dir.file("outbox.db");
  auto outbox = Outbox::open(test::options_in(dir));
  constexpr std::size_t kN = 20000;
  DoneLog log(kN);
  for (std::size_t i = 0; i < kN; ++i) {
    outbox->append(test::record(log.callback(i), 560, 1763700000000 + static_cast<int>(i)));
  }
  ASSERT_TRUE(log.wait_calls(kN, std::chrono::seconds(30)));
  outbox->close();  // checkpoints the WAL into the main file
  const auto bytes = std::filesystem::file_size(path);
  EXPECT_LE(bytes / kN, 700u) << bytes << " bytes for " << kN << " rows";
}

TEST(Outbox, InvalidOptionsAreRefusedWithTheirName) {
  TempDir dir;
  OutboxOptions options = test::options_in(dir);
  options.sync = "fast";
  try {
    Outbox::open(options);
    FAIL() << "expected OutboxError";
  } catch (const OutboxError& e) {
    EXPECT_NE(std::string(e.what()).find("sync"), std::string::npos) << e.what();
  }
  options = test::options_in(dir);
  options.commit_max_rows = 0;
  EXPECT_THROW(Outbox::open(options), OutboxError);
  options = test::options_in(dir);
  options.path.clear();
  EXPECT_THROW(Outbox::open(options), OutboxError);
}

TEST(Outbox, UnwritablePathThrowsWithThePathInTheMessage) {
  TempDir dir;
  // A regular file where a directory must be: fails for root too (unlike chmod).
  { std::ofstream(dir.file("not-a-dir")) << "x"; }
  OutboxOptions options;
  options.path = dir.file("not-a-dir/outbox.db");
  try {
    Outbox::open(options);
    FAIL() << "expected OutboxError";
  } catch (const OutboxError& e) {
    EXPECT_NE(std::string(e.what()).find(options.path), std::string::npos) << e.what();
  }
  options.path = dir.path();  // a directory, not a file
  try {
    Outbox::open(options);
    FAIL() << "expected OutboxError";
  } catch (const OutboxError& e) {
    EXPECT_NE(std::string(e.what()).find("directory"), std::string::npos) << e.what();
  }
}

TEST(Outbox, ForeignDatabaseIsLeftUntouched) {
  TempDir dir;
  const std::string path = dir.file("other.db");
  test::exec_sql(path, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
  const auto size_before = std::filesystem::file_size(path);
  OutboxOptions options;
  options.path = path;
  try {
    Outbox::open(options);
    FAIL() << "expected OutboxError";
  } catch (const OutboxError& e) {
    EXPECT_NE(std::string(e.what()).find("not a dockgate outbox"), std::string::npos) << e.what();
  }
  EXPECT_EQ(std::filesystem::file_size(path), size_before);
  EXPECT_EQ(test::query_text(path, "PRAGMA journal_mode"), "delete") << "not switched to WAL";
  EXPECT_EQ(test::query_text(path, "SELECT count(*) FROM customers"), "0");
}

}  // namespace
}  // namespace dockgate::buffer

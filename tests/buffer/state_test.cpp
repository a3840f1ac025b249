// SPDX-License-Identifier: Apache-2.0
// The outbox's `state` table (schema v2): agent state committed in the same transaction as
// the record that caused it, state-only records, and in-place migration of v1 files.
#include <gtest/gtest.h>

#include "tests/buffer/test_util.hpp"

namespace dockgate::buffer {
namespace {

using test::DoneLog;
using test::TempDir;

PendingRecord with_state(DoneFn done, std::vector<StateWrite> state) {
  PendingRecord r = test::record(std::move(done));
  r.state = std::move(state);
  return r;
}

TEST(OutboxState, StateIsCommittedWithItsRecordAndReadBackOnOpen) {
  TempDir dir;
  DoneLog log(3);
  {
    auto outbox = Outbox::open(test::options_in(dir));
    outbox->append(with_state(log.callback(0), {{"dock_session/door-07", R"({"id":"a"})"}}));
    outbox->append(with_state(log.callback(1), {{"dock_session/door-03", R"({"id":"b"})"}}));
    outbox->append(with_state(log.callback(2), {{"dock_session/door-07", R"({"id":"c"})"}}));
    ASSERT_TRUE(log.wait_calls(3));
  }
  OutboxReader reader(dir.file("outbox.db"));  // what `dockgate status` reads
  auto doors = reader.state("dock_session/door-0");
  ASSERT_EQ(doors.size(), 2U);
  EXPECT_EQ(doors.begin()->first, "dock_session/door-03");
  EXPECT_TRUE(reader.state("other/").empty());
  OpenReport report;
  auto outbox = Outbox::open(test::options_in(dir), &report);
  ASSERT_EQ(report.state.size(), 2U);
  EXPECT_EQ(report.state.at("dock_session/door-07"), R"({"id":"c"})") << "the last write wins";
  EXPECT_EQ(report.state.at("dock_session/door-03"), R"({"id":"b"})");
  EXPECT_EQ(report.pending_at_start, 3U);
}

TEST(OutboxState, StateOnlyRecordHasNoRowAndNoSeq) {
  TempDir dir;
  DoneLog log(2);
  {
    auto outbox = Outbox::open(test::options_in(dir));
    PendingRecord only;
    only.created_ms = 1700000000000;
    only.on_done = log.callback(0);
    only.state = {{"k", "v1"}};
    outbox->append(std::move(only));
    outbox->append(test::record(log.callback(1)));
    ASSERT_TRUE(log.wait_calls(2));
    auto fates = log.fates();
    EXPECT_TRUE(fates[0].committed);
    EXPECT_EQ(fates[0].seq, 0U);
    EXPECT_EQ(fates[1].seq, 1U) << "a state-only record takes no gatewaySeq";
  }
  EXPECT_EQ(test::read_all(dir.file("outbox.db")).size(), 1U);
  EXPECT_EQ(test::query_text(dir.file("outbox.db"), "SELECT value FROM state WHERE key = 'k'"),
            "v1");
}

TEST(OutboxState, NulloptDeletesTheKey) {
  TempDir dir;
  DoneLog log(2);
  {
    auto outbox = Outbox::open(test::options_in(dir));
    outbox->append(with_state(log.callback(0), {{"k", "v"}}));
    outbox->append(with_state(log.callback(1), {{"k", std::nullopt}}));
    ASSERT_TRUE(log.wait_calls(2));
  }
  OpenReport report;
  auto outbox = Outbox::open(test::options_in(dir), &report);
  EXPECT_TRUE(report.state.empty());
}

TEST(OutboxState, RecordRejectedOverCapDoesNotWriteItsState) {
  TempDir dir;
  OutboxOptions options = test::options_in(dir);
  options.max_bytes = 40;
  DoneLog log(2);
  {
    auto outbox = Outbox::open(options);
    outbox->append(with_state(log.callback(0), {{"k", "first"}}));
    PendingRecord big = test::record(log.callback(1), 100);
    big.state = {{"k", "second"}};
    outbox->append(std::move(big));
    ASSERT_TRUE(log.wait_calls(2));
    EXPECT_FALSE(log.fates()[1].committed);
  }
  OpenReport report;
  auto outbox = Outbox::open(options, &report);
  EXPECT_EQ(report.state.at("k"), "first") << "state and row share one fate";
}

// The layout dockgate 0.1 shipped (schema version 1), written here by hand rather than by
// the code under test, so a change to the v1 step in buffer/schema.cpp cannot hide a
// migration bug.
constexpr const char* kReleasedV1 = R"sql(
CREATE TABLE outbox (seq INTEGER PRIMARY KEY, channel INTEGER NOT NULL,
                     created_ms INTEGER NOT NULL, payload BLOB NOT NULL);
CREATE TABLE meta (id INTEGER PRIMARY KEY CHECK (id = 1), last_seq INTEGER NOT NULL,
                   pending_count INTEGER NOT NULL, pending_bytes INTEGER NOT NULL,
                   acked_total INTEGER NOT NULL, rejected_total INTEGER NOT NULL,
                   last_publish_ms INTEGER);
INSERT INTO meta VALUES (1, 3, 2, 10, 1, 0, NULL);
INSERT INTO outbox VALUES (2, 0, 1700000000000, CAST('event-2' AS BLOB));
INSERT INTO outbox VALUES (3, 1, 1700000000001, CAST('exc' AS BLOB));
PRAGMA user_version = 1;
)sql";

TEST(OutboxState, VersionOneFileIsMigratedInPlaceKeepingUnsentRows) {
  TempDir dir;
  test::exec_sql(dir.file("outbox.db"), kReleasedV1);
  OpenReport report;
  DoneLog log(1);
  {
    auto outbox = Outbox::open(test::options_in(dir), &report);
    EXPECT_FALSE(report.created);
    EXPECT_FALSE(report.recovered_corrupt);
    EXPECT_EQ(report.pending_at_start, 2U);
    EXPECT_EQ(report.next_seq, 4U);
    outbox->append(with_state(log.callback(0), {{"k", "v"}}));
    ASSERT_TRUE(log.wait_calls(1));
    EXPECT_EQ(log.fates()[0].seq, 4U);
  }
  EXPECT_EQ(test::query_text(dir.file("outbox.db"), "PRAGMA user_version"), "4")
      << "migrated through every step to the current version";
  auto rows = test::read_all(dir.file("outbox.db"));
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0].seq, 2U);
  EXPECT_EQ(rows[0].payload, "event-2");
  EXPECT_EQ(rows[1].channel, Channel::exception);
}

}  // namespace
}  // namespace dockgate::buffer

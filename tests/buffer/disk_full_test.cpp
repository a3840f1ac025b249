// SPDX-License-Identifier: Apache-2.0
// SQLITE_FULL made real and deterministic with PRAGMA max_page_count (options.max_file_bytes):
// records wait in memory, nothing is lost or renumbered, the memory queue is bounded.
#include <gtest/gtest.h>

#include <set>

#include "buffer/outbox.hpp"
#include "tests/buffer/test_util.hpp"

namespace dockgate::buffer {
namespace {

using test::DoneLog;
using test::TempDir;

TEST(OutboxDiskFull, RecordsWaitUntilAcksMakeRoomWithoutLossOrGaps) {
  TempDir dir;
  OutboxOptions options = test::options_in(dir);
  options.max_file_bytes = 40UL * 4096UL;  // room for roughly a hundred 1000-byte rows
  options.commit_max_rows = 10;
  auto outbox = Outbox::open(options);
  constexpr std::size_t kN = 300;
  DoneLog log(kN);
  for (std::size_t i = 0; i < kN; ++i) outbox->append(test::record(log.callback(i), 1000));

  ASSERT_TRUE(test::wait_until([&] { return outbox->stats().write_failing; }))
      << "the cap must be hit: the test would prove nothing otherwise";
  const std::size_t committed_when_full = log.calls();
  EXPECT_GT(committed_when_full, 0u);
  EXPECT_LT(committed_when_full, kN);
  for (const auto& fate : log.fates()) {
    if (fate.calls > 0) {
      EXPECT_TRUE(fate.committed) << "nothing is rejected while waiting";
    }
  }
  EXPECT_EQ(outbox->stats().queued_records, kN - committed_when_full);

  // The uplink acks what it got; each ack frees pages and the waiting records move on.
  std::set<std::uint64_t> acked;
  int rounds = 0;
  while (log.calls() < kN && rounds < 100) {
    ++rounds;
    const std::size_t before = log.calls();
    std::vector<std::uint64_t> seqs;
    for (const auto& fate : log.fates()) {
      if (fate.calls > 0 && fate.committed && acked.insert(fate.seq).second) {
        seqs.push_back(fate.seq);
      }
    }
    outbox->ack(seqs, 1);
    ASSERT_TRUE(test::wait_until([&] { return log.calls() > before || log.calls() == kN; }))
        << "acks freed pages but the waiting records did not move";
    test::wait_until([&] { return outbox->stats().write_failing || log.calls() == kN; },
                     std::chrono::milliseconds(500));
  }
  ASSERT_EQ(log.calls(), kN);
  const auto fates = log.fates();
  for (std::size_t i = 0; i < kN; ++i) {
    EXPECT_EQ(fates[i].calls, 1);
    EXPECT_TRUE(fates[i].committed);
    EXPECT_EQ(fates[i].seq, i + 1) << "same order, no gap, no reuse";
  }
  const OutboxStats s = outbox->stats();
  EXPECT_FALSE(s.write_failing);
  EXPECT_EQ(s.rejected_total, 0u);
  EXPECT_EQ(s.last_seq, kN);
  EXPECT_EQ(s.queued_records, 0u);
}

TEST(OutboxDiskFull, BoundedMemoryQueueRejectsAndCloseReportsEveryRecord) {
  TempDir dir;
  OutboxOptions options = test::options_in(dir);
  options.max_file_bytes = 12UL * 4096UL;
  options.commit_max_rows = 1;
  options.max_queued_records = 20;
  constexpr std::size_t kN = 100;
  constexpr std::size_t kMore = 50;
  DoneLog log(kN);
  std::size_t appended = 0;
  {
    auto outbox = Outbox::open(options);
    // One record at a time until the file is full: that record stays queued.
    while (appended < kN - kMore) {
      const std::size_t before = log.calls();
      outbox->append(test::record(log.callback(appended++), 3000));
      ASSERT_TRUE(
          test::wait_until([&] { return log.calls() > before || outbox->stats().write_failing; }));
      if (outbox->stats().write_failing) break;
    }
    ASSERT_TRUE(outbox->stats().write_failing) << "the cap must be hit";
    const std::uint64_t committed = log.calls();
    ASSERT_EQ(appended, committed + 1);
    // 19 more fit in the memory queue, the other 31 are refused at once.
    for (std::size_t i = 0; i < kMore; ++i) {
      outbox->append(test::record(log.callback(appended++), 3000));
    }
    ASSERT_TRUE(log.wait_calls(committed + kMore - 19));
    const OutboxStats s = outbox->stats();
    EXPECT_EQ(s.queued_records, 20u);
    EXPECT_EQ(s.rejected_total, kMore - 19);
    EXPECT_EQ(s.last_seq, committed);
  }  // close(): one last attempt fails, the 20 waiting records are reported as rejected
  ASSERT_EQ(log.calls(), appended);
  std::uint64_t committed = 0;
  const auto fates = log.fates();
  for (std::size_t i = 0; i < appended; ++i) {
    EXPECT_EQ(fates[i].calls, 1) << "every record's fate is reported exactly once";
    if (fates[i].committed) {
      EXPECT_EQ(fates[i].seq, ++committed) << "committed seqs are 1..k";
    }
  }
  EXPECT_GT(committed, 0u);

  OutboxReader reader(options.path);
  const OutboxStats s = reader.stats();
  EXPECT_EQ(s.last_seq, committed);
  EXPECT_EQ(s.pending_count, committed);
  EXPECT_EQ(s.rejected_total, appended - committed) << "rejections are counted in the file";
}

}  // namespace
}  // namespace dockgate::buffer

// SPDX-License-Identifier: Apache-2.0
// Acks, counters and their persistence across reopen; the max_bytes cap.
#include <gtest/gtest.h>

#include "buffer/outbox.hpp"
#include "tests/buffer/test_util.hpp"

namespace dockgate::buffer {
namespace {

using test::DoneLog;
using test::TempDir;

// Appends n records with payload_for(seq, size) and created_ms = 1000 + index; waits for all.
void append_and_wait(Outbox& outbox, std::size_t n, std::size_t size) {
  DoneLog log(n);
  for (std::size_t i = 0; i < n; ++i) {
    outbox.append(test::record(log.callback(i), size, 1000 + static_cast<std::int64_t>(i)));
  }
  ASSERT_TRUE(log.wait_calls(n));
}

std::uint64_t bytes_of(std::uint64_t first, std::uint64_t last, std::size_t size) {
  std::uint64_t total = 0;
  for (std::uint64_t s = first; s <= last; ++s) total += test::payload_for(s, size).size();
  return total;
}

TEST(OutboxCounters, AcksDeleteRowsAndKeepCountersExact) {
  TempDir dir;
  auto outbox = Outbox::open(test::options_in(dir));
  append_and_wait(*outbox, 100, 50);
  OutboxStats s = outbox->stats();
  EXPECT_EQ(s.pending_count, 100u);
  EXPECT_EQ(s.pending_bytes, bytes_of(1, 100, 50));
  EXPECT_EQ(s.oldest_created_ms, 1000);
  EXPECT_FALSE(s.last_publish_ms.has_value());

  // 1..10 and 20 and 50 exist; 50 twice, 0, 1000 and 10 (again, later) do not count.
  outbox->ack({10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 20, 50, 50, 0, 1000}, 1763700000123);
  outbox->ack({10}, 1763700000100);
  ASSERT_TRUE(test::wait_until([&] { return outbox->stats().acked_total == 12; }));
  ASSERT_TRUE(test::wait_until([&] { return outbox->stats().last_publish_ms.has_value(); }));
  s = outbox->stats();
  EXPECT_EQ(s.pending_count, 88u);
  EXPECT_EQ(s.pending_bytes, bytes_of(1, 100, 50) - bytes_of(1, 10, 50) -
                                 test::payload_for(20, 50).size() -
                                 test::payload_for(50, 50).size());
  EXPECT_EQ(s.oldest_created_ms, 1010) << "seq 11 is now the oldest";
  EXPECT_EQ(s.last_publish_ms, 1763700000123) << "the latest ack time is kept";
  EXPECT_EQ(s.last_seq, 100u);
  outbox->close();

  const auto rows = test::read_all(dir.file("outbox.db"));
  ASSERT_EQ(rows.size(), 88u);
  EXPECT_EQ(rows.front().seq, 11u);
  for (const auto& row : rows) {
    EXPECT_NE(row.seq, 20u);
    EXPECT_NE(row.seq, 50u);
  }
}

TEST(OutboxCounters, ReopenResumesNumberingAfterEverythingWasAcked) {
  TempDir dir;
  {
    auto outbox = Outbox::open(test::options_in(dir));
    append_and_wait(*outbox, 10, 0);
    outbox->ack({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 42);
    ASSERT_TRUE(test::wait_until([&] { return outbox->stats().pending_count == 0; }));
  }
  OpenReport report;
  auto outbox = Outbox::open(test::options_in(dir), &report);
  EXPECT_FALSE(report.created);
  EXPECT_EQ(report.pending_at_start, 0u);
  EXPECT_EQ(report.next_seq, 11u) << "from meta.last_seq, not max(seq) of an empty table";
  DoneLog log(1);
  outbox->append(test::record(log.callback(0)));
  ASSERT_TRUE(log.wait_calls(1));
  EXPECT_EQ(log.fates()[0].seq, 11u);
}

TEST(OutboxCounters, StatsSurviveReopenAndMatchTheReader) {
  TempDir dir;
  OutboxOptions options = test::options_in(dir);
  options.max_bytes = 30UL * 200UL;
  OutboxStats before;
  {
    auto outbox = Outbox::open(options);
    append_and_wait(*outbox, 40, 200);  // 30 fit under the cap, 10 are rejected
    outbox->ack({1, 2, 3}, 777);
    ASSERT_TRUE(test::wait_until([&] { return outbox->stats().acked_total == 3; }));
    before = outbox->stats();
  }
  EXPECT_EQ(before.pending_count, 27u);
  EXPECT_EQ(before.rejected_total, 10u);

  OutboxReader reader(options.path);
  const OutboxStats r = reader.stats();
  OpenReport report;
  auto outbox = Outbox::open(options, &report);
  const OutboxStats after = outbox->stats();
  for (const OutboxStats* s : {&r, &after}) {
    EXPECT_EQ(s->pending_count, before.pending_count);
    EXPECT_EQ(s->pending_bytes, before.pending_bytes);
    EXPECT_EQ(s->last_seq, 30u);
    EXPECT_EQ(s->acked_total, 3u);
    EXPECT_EQ(s->rejected_total, 10u);
    EXPECT_EQ(s->last_publish_ms, 777);
    EXPECT_EQ(s->oldest_created_ms, before.oldest_created_ms);
    EXPECT_GT(s->file_bytes, 0u);
  }
  EXPECT_EQ(report.pending_at_start, 27u);
  EXPECT_EQ(report.next_seq, 31u);
}

TEST(OutboxCounters, MaxBytesCapRejectsCountsAndKeepsNumberingGapFree) {
  TempDir dir;
  OutboxOptions options = test::options_in(dir);
  options.max_bytes = 10UL * 100UL;
  auto outbox = Outbox::open(options);
  DoneLog log(20);
  for (std::size_t i = 0; i < 15; ++i) outbox->append(test::record(log.callback(i), 100));
  ASSERT_TRUE(log.wait_calls(15));
  auto fates = log.fates();
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_TRUE(fates[i].committed);
    EXPECT_EQ(fates[i].seq, i + 1);
  }
  for (std::size_t i = 10; i < 15; ++i) {
    EXPECT_FALSE(fates[i].committed);
    EXPECT_EQ(fates[i].seq, 0u);
  }
  EXPECT_EQ(outbox->stats().rejected_total, 5u);
  EXPECT_EQ(outbox->stats().pending_bytes, 1000u);

  outbox->ack({1, 2}, 1);  // room for two more
  ASSERT_TRUE(test::wait_until([&] { return outbox->stats().pending_count == 8; }));
  for (std::size_t i = 15; i < 20; ++i) outbox->append(test::record(log.callback(i), 100));
  ASSERT_TRUE(log.wait_calls(20));
  fates = log.fates();
  EXPECT_EQ(fates[15].seq, 11u) << "rejected records used no seq";
  EXPECT_EQ(fates[16].seq, 12u);
  EXPECT_FALSE(fates[17].committed);
  EXPECT_EQ(outbox->stats().rejected_total, 8u);
}

TEST(OutboxCounters, LargeAckBatchesAreApplied) {
  TempDir dir;
  auto options = test::options_in(dir);
  options.max_queued_records = 30'000;  // all 25,000 appended at once, before any commit
  auto outbox = Outbox::open(options);
  append_and_wait(*outbox, 25000, 20);
  std::vector<std::uint64_t> all;
  for (std::uint64_t s = 1; s <= 25000; s += 2) all.push_back(s);  // odd seqs: no ranges
  for (std::uint64_t s = 2; s <= 25000; s += 2) all.push_back(s);
  outbox->ack(std::move(all), 9);
  ASSERT_TRUE(test::wait_until([&] { return outbox->stats().pending_count == 0; }));
  const OutboxStats s = outbox->stats();
  EXPECT_EQ(s.acked_total, 25000u);
  EXPECT_EQ(s.pending_bytes, 0u);
  EXPECT_FALSE(s.oldest_created_ms.has_value());
}

}  // namespace
}  // namespace dockgate::buffer

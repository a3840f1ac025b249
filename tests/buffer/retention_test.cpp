// SPDX-License-Identifier: Apache-2.0
// Delivered rows kept for replay (buffer.retain_delivered, schema v4): moved by the ack,
// readable by seq range with their exact payloads, pruned by age and bytes, and always giving
// way to pending rows when the file cap (a full disk, made deterministic) is reached.
#include <gtest/gtest.h>

#include <set>

#include "buffer/outbox.hpp"
#include "tests/buffer/test_util.hpp"

namespace dockgate::buffer {
namespace {

using namespace std::chrono_literals;
using test::DoneLog;
using test::TempDir;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// Appends `n` records of `size` payload bytes, waits for every commit, returns their seqs.
std::vector<std::uint64_t> append_all(Outbox& outbox, std::size_t n, std::size_t size = 0) {
  DoneLog log(n);
  for (std::size_t i = 0; i < n; ++i) outbox.append(test::record(log.callback(i), size));
  EXPECT_TRUE(test::wait_until([&] { return log.calls() == n; }));
  std::vector<std::uint64_t> seqs;
  for (const auto& f : log.fates()) {
    EXPECT_TRUE(f.committed);
    seqs.push_back(f.seq);
  }
  return seqs;
}

TEST(OutboxRetention, AckedRowsAreKeptWithTheirPayloadAndCoverageTellsWhereEachSeqIs) {
  TempDir dir;
  OutboxOptions o = test::options_in(dir);
  o.retain_delivered = 1h;
  auto outbox = Outbox::open(o);
  append_all(*outbox, 10);
  OutboxReader reader(o.path);
  const auto originals = reader.fetch(1, 100, 1 << 20);
  ASSERT_EQ(originals.size(), 10U);
  outbox->ack({1, 2, 3, 4, 5, 6, 8}, now_ms());
  ASSERT_TRUE(test::wait_until([&] { return outbox->stats().pending_count == 3; }));
  const OutboxStats s = outbox->stats();
  EXPECT_EQ(s.retained_count, 7U);
  EXPECT_EQ(s.acked_total, 7U);
  std::uint64_t bytes = 0;
  for (const auto& r : originals) bytes += r.seq == 7 || r.seq > 8 ? 0 : r.payload.size();
  EXPECT_EQ(s.retained_bytes, bytes);
  EXPECT_EQ(reader.stats().retained_count, 7U) << "the reader sees the same counters";

  const auto kept = reader.fetch_delivered(3, 20, 100, 1 << 20);
  ASSERT_EQ(kept.size(), 5U);  // 3-6, 8
  EXPECT_EQ(kept[0].seq, 3U);
  EXPECT_EQ(kept[4].seq, 8U);
  EXPECT_EQ(kept[0].payload, originals[2].payload);
  EXPECT_EQ(kept[4].payload, originals[7].payload);
  EXPECT_EQ(kept[4].channel, originals[7].channel);
  EXPECT_EQ(reader.fetch_delivered(3, 20, 2, 1 << 20).size(), 2U) << "max_rows";
  EXPECT_EQ(reader.fetch_delivered(3, 20, 100, 1).size(), 1U) << "the first row always fits";

  const RangeCoverage c = reader.coverage(2, 14, 10);
  EXPECT_EQ(c.retained, 6U);  // 2-6, 8
  EXPECT_EQ(c.pending, 3U);   // 7, 9, 10
  EXPECT_EQ(c.missing, 4U);   // 11-14: not assigned yet
  ASSERT_EQ(c.missing_ranges.size(), 1U);
  EXPECT_EQ(c.missing_ranges[0].from_seq, 11U);
  EXPECT_EQ(c.missing_ranges[0].to_seq, 14U);
  EXPECT_EQ(reader.fetch(1, 100, 1 << 20).size(), 3U) << "the backlog holds the pending only";
}

TEST(OutboxRetention, OffByDefaultAcksDelete) {
  TempDir dir;
  auto outbox = Outbox::open(test::options_in(dir));
  append_all(*outbox, 3);
  outbox->ack({1, 2, 3}, 1);
  ASSERT_TRUE(test::wait_until([&] { return outbox->stats().pending_count == 0; }));
  EXPECT_EQ(outbox->stats().retained_count, 0U);
  OutboxReader reader(test::options_in(dir).path);
  const RangeCoverage c = reader.coverage(1, 3, 10);
  EXPECT_EQ(c.missing, 3U);
}

TEST(OutboxRetention, PrunedByAgeAndByBytesOldestFirst) {
  TempDir dir;
  OutboxOptions o = test::options_in(dir);
  o.retain_delivered = 1h;
  o.retain_delivered_bytes = 5000;  // about five of the 1000-byte rows below
  auto outbox = Outbox::open(o);
  const auto seqs = append_all(*outbox, 10, 1000);
  outbox->ack(seqs, now_ms());
  ASSERT_TRUE(test::wait_until([&] { return outbox->stats().pending_count == 0; }));
  // The retention check (every 5 s) lets the byte cap keep the newest five rows.
  ASSERT_TRUE(test::wait_until([&] { return outbox->stats().retained_bytes <= 5000; }, 8s))
      << outbox->stats().retained_bytes;
  const OutboxStats s = outbox->stats();
  EXPECT_EQ(s.retained_count, 5U);
  EXPECT_EQ(s.acked_total, 10U);
  OutboxReader reader(o.path);
  const auto kept = reader.fetch_delivered(1, 10, 100, 1 << 20);
  ASSERT_FALSE(kept.empty());
  ASSERT_EQ(kept.size(), 5U);
  EXPECT_EQ(kept.front().seq, 6U) << "the oldest go first";
  outbox->close();

  // Reopened with an age limit the kept rows are already past: all go.
  o.retain_delivered_bytes = 0;
  o.retain_delivered = 1ms;
  outbox = Outbox::open(o);
  ASSERT_TRUE(test::wait_until([&] { return outbox->stats().retained_count == 0; }, 8s));
  EXPECT_EQ(outbox->stats().retained_bytes, 0U);
}

TEST(OutboxRetention, KeptRowsGiveWayToPendingOnesAtTheFileCap) {
  TempDir dir;
  OutboxOptions o = test::options_in(dir);
  o.retain_delivered = 1h;
  o.max_file_bytes = 60UL * 4096UL;
  o.commit_max_rows = 10;
  auto outbox = Outbox::open(o);
  // Fill the file with delivered rows until an append hits the cap once.
  std::uint64_t delivered = 0;
  for (int round = 0; round < 40 && outbox->stats().retained_count == delivered; ++round) {
    const auto seqs = append_all(*outbox, 10, 1000);
    outbox->ack(seqs, now_ms());
    ASSERT_TRUE(test::wait_until([&] { return outbox->stats().pending_count == 0; }));
    delivered += seqs.size();
  }
  const OutboxStats s = outbox->stats();
  EXPECT_LT(s.retained_count, delivered)
      << "the cap must be hit: the test would prove nothing otherwise";
  EXPECT_EQ(s.rejected_total, 0U) << "no pending record was refused for a kept one";
  EXPECT_FALSE(s.write_failing);
  // And new records still go in, pending ones never wait for kept ones.
  const auto more = append_all(*outbox, 20, 1000);
  EXPECT_EQ(more.size(), 20U);
  EXPECT_EQ(outbox->stats().pending_count, 20U);
}

}  // namespace
}  // namespace dockgate::buffer

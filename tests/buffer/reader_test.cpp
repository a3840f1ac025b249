// SPDX-License-Identifier: Apache-2.0
// OutboxReader: fetch limits, reading beside a live writer, refusing files that are not
// outboxes.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "buffer/outbox.hpp"
#include "tests/buffer/test_util.hpp"

namespace dockgate::buffer {
namespace {

using test::DoneLog;
using test::TempDir;

// Seqs 1..n with payload_for(seq, size), closed.
void make_outbox(const TempDir& dir, std::size_t n, std::size_t size) {
  auto outbox = Outbox::open(test::options_in(dir));
  DoneLog log(n);
  for (std::size_t i = 0; i < n; ++i) outbox->append(test::record(log.callback(i), size));
  ASSERT_TRUE(log.wait_calls(n));
}

TEST(OutboxReader, FetchHonoursFromSeqMaxRowsAndMaxBytes) {
  TempDir dir;
  make_outbox(dir, 50, 100);
  OutboxReader reader(dir.file("outbox.db"));

  auto rows = reader.fetch(1, 10, SIZE_MAX);
  ASSERT_EQ(rows.size(), 10u);
  EXPECT_EQ(rows.front().seq, 1u);
  EXPECT_EQ(rows.back().seq, 10u);
  EXPECT_EQ(rows[3].payload, test::payload_for(4, 100));

  rows = reader.fetch(45, 10, SIZE_MAX);
  ASSERT_EQ(rows.size(), 6u) << "only 45..50 exist";
  EXPECT_EQ(rows.back().seq, 50u);

  rows = reader.fetch(1, 100, 350);  // 100-byte payloads: three fit in 350 bytes
  ASSERT_EQ(rows.size(), 3u);

  rows = reader.fetch(7, 100, 10);  // the first row is returned even when larger
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].seq, 7u);

  EXPECT_TRUE(reader.fetch(51, 10, SIZE_MAX).empty());
  EXPECT_TRUE(reader.fetch(1, 0, SIZE_MAX).empty());
}

TEST(OutboxReader, SkipsAckedRows) {
  TempDir dir;
  make_outbox(dir, 20, 0);
  {
    auto outbox = Outbox::open(test::options_in(dir));
    outbox->ack({1, 2, 3, 10, 11}, 1);
  }  // close() applies queued acks
  OutboxReader reader(dir.file("outbox.db"));
  const auto rows = reader.fetch(0, 100, SIZE_MAX);
  ASSERT_EQ(rows.size(), 15u);
  EXPECT_EQ(rows[0].seq, 4u);
  EXPECT_EQ(rows[6].seq, 12u);
}

TEST(OutboxReader, ReadsConsistentRowsWhileTheWriterCommits) {
  TempDir dir;
  OutboxOptions options = test::options_in(dir);
  options.commit_max_rows = 50;
  auto outbox = Outbox::open(options);
  OutboxReader reader(options.path);  // opened while the daemon runs
  constexpr std::size_t kN = 4000;
  DoneLog log(kN);
  std::jthread writer([&] {  // joins on every exit path, also after a failed ASSERT
    for (std::size_t i = 0; i < kN; ++i) {
      outbox->append(test::record(log.callback(i), 300));
      if (i % 200 == 199) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  std::uint64_t next = 1;
  std::size_t fetches = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (next <= kN && std::chrono::steady_clock::now() < deadline) {
    for (const StoredRecord& row : reader.fetch(next, 500, 64UL * 1024UL)) {
      ASSERT_EQ(row.seq, next) << "rows arrive gap-free and in order";
      ASSERT_EQ(row.payload, test::payload_for(row.seq, 300));
      ++next;
    }
    ++fetches;
    const OutboxStats s = reader.stats();
    ASSERT_GE(s.last_seq, next - 1) << "counters never lag the rows they describe";
    ASSERT_EQ(s.pending_count, s.last_seq) << "nothing acked: count == last seq";
  }
  writer.join();
  EXPECT_EQ(next, kN + 1);
  EXPECT_GT(fetches, 1u);
  ASSERT_TRUE(log.wait_calls(kN));
}

TEST(OutboxReader, RefusesMissingGarbageAndForeignFiles) {
  TempDir dir;
  try {
    OutboxReader reader(dir.file("missing.db"));
    FAIL() << "expected OutboxError";
  } catch (const OutboxError& e) {
    EXPECT_NE(std::string(e.what()).find("missing.db"), std::string::npos) << e.what();
  }
  { std::ofstream(dir.file("garbage.db")) << std::string(8192, 'g'); }
  EXPECT_THROW(OutboxReader(dir.file("garbage.db")), OutboxError);
  test::exec_sql(dir.file("foreign.db"), "CREATE TABLE t (x)");
  EXPECT_THROW(OutboxReader(dir.file("foreign.db")), OutboxError);
  test::exec_sql(dir.file("newer.db"), "PRAGMA user_version = 99");
  try {
    OutboxReader reader(dir.file("newer.db"));
    FAIL() << "expected OutboxError";
  } catch (const OutboxError& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
  EXPECT_EQ(std::filesystem::file_size(dir.file("garbage.db")), 8192u) << "reader never writes";
}

}  // namespace
}  // namespace dockgate::buffer

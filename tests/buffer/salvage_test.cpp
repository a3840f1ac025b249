// SPDX-License-Identifier: Apache-2.0
// A corrupt outbox loses neither its backlog nor its numbering: rows are salvaged from the
// moved file (SQLite first, then a page scan) and new seqs continue above the old mark.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "buffer/outbox.hpp"
#include "buffer/salvage.hpp"
#include "tests/buffer/test_util.hpp"

namespace dockgate::buffer {
namespace {

using test::DoneLog;
using test::TempDir;

// ~600 bytes, shaped like a stored EPCIS event: eventID and dg:gatewaySeq inside.
std::string event_json(std::uint64_t seq) {
  std::string j = R"({"type":"ObjectEvent","eventID":"urn:uuid:00000000-0000-4000-8000-)" +
                  std::to_string(100000000000ULL + seq) + R"(","pad":")";
  j.append(520, 'p');
  j += R"(","dg:gatewaySeq":)" + std::to_string(seq) + "}";
  return j;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::uint64_t read_mark(const std::string& db_path) {
  std::ifstream in(db_path + ".seq");
  std::string tag;
  std::uint64_t mark = 0;
  in >> tag >> mark;
  return mark;
}

// A closed outbox holding seqs 1..n (JSON payloads), the first `acked` of them acked.
void make_outbox(const std::string& path, std::size_t n, std::size_t acked) {
  OutboxOptions options;
  options.path = path;
  auto outbox = Outbox::open(options);
  DoneLog log(n);
  for (std::size_t i = 0; i < n; ++i) {
    PendingRecord r;
    r.created_ms = 1700000000000 + static_cast<std::int64_t>(i);
    r.render = [](std::uint64_t seq) { return event_json(seq); };
    r.on_done = log.callback(i);
    outbox->append(std::move(r));
  }
  ASSERT_TRUE(log.wait_calls(n));
  std::vector<std::uint64_t> seqs;
  for (std::size_t s = 1; s <= acked; ++s) seqs.push_back(s);
  if (!seqs.empty()) {
    outbox->ack(seqs, 1);
    ASSERT_TRUE(test::wait_until([&] { return outbox->stats().acked_total == acked; }));
  }
}

void overwrite_random(const std::string& path, std::size_t offset, std::size_t size) {
  std::mt19937 rng(42);
  std::string junk(size, '\0');
  for (char& c : junk) c = static_cast<char>(rng() & 0xff);
  std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

TEST(OutboxSalvage, CorruptRootPageOf3000RowsIsSalvagedAndNumberingContinuesAbove) {
  TempDir dir;
  const std::string path = dir.file("outbox.db");
  constexpr std::size_t kRows = 3000;
  make_outbox(path, kRows, 0);
  const std::uint64_t mark = read_mark(path);
  ASSERT_GE(mark, kRows) << "the side file must cover every assigned seq";
  overwrite_random(path, 8192, 4096);  // page 3: the outbox table's root (page 2 is a ptrmap)
  const std::string damaged = read_file(path);

  OpenReport report;
  OutboxOptions options;
  options.path = path;
  auto outbox = Outbox::open(options, &report);
  ASSERT_TRUE(report.recovered_corrupt);
  EXPECT_EQ(read_file(report.moved_aside_to), damaged) << "the moved file is kept as it was";
  EXPECT_GE(report.salvaged, kRows * 95 / 100);
  EXPECT_EQ(report.salvaged + report.unrecoverable, kRows);
  EXPECT_GE(report.previous_last_seq, mark);
  EXPECT_GT(report.next_seq, mark) << "no seq of the old file is ever reused";
  EXPECT_EQ(report.pending_at_start, report.salvaged);

  // The salvaged rows are pending with their original seq and payload.
  const auto rows = test::read_all(path);
  ASSERT_EQ(rows.size(), report.salvaged);
  for (const auto& r : rows) {
    ASSERT_EQ(r.payload, event_json(r.seq));
    EXPECT_EQ(r.created_ms, 1700000000000 + static_cast<std::int64_t>(r.seq) - 1);
  }

  DoneLog log(1);
  outbox->append(test::record(log.callback(0)));
  ASSERT_TRUE(log.wait_calls(1));
  EXPECT_EQ(log.fates()[0].seq, report.next_seq);
  outbox->close();

  // A normal restart continues from the new file's counter, above the mark.
  OpenReport again;
  Outbox::open(options, &again)->close();
  EXPECT_FALSE(again.recovered_corrupt);
  EXPECT_EQ(again.next_seq, report.next_seq + 1);
}

TEST(OutboxSalvage, AckedRowsDoNotComeBackAndUnrecoverableIsCounted) {
  TempDir dir;
  const std::string path = dir.file("outbox.db");
  make_outbox(path, 1500, 1000);  // 500 pending: seqs 1001..1500
  const SalvageResult intact = salvage(path);
  EXPECT_EQ(intact.rows.size(), 500u);
  EXPECT_EQ(intact.rows.front().seq, 1001u);
  EXPECT_EQ(intact.last_seq.value_or(0), 1500u);

  // Destroy a leaf page in the middle of the pending rows: those rows are gone for good.
  const std::size_t pages = read_file(path).size() / 4096;
  overwrite_random(path, (pages - 20) * 4096, 4096);
  OpenReport report;
  OutboxOptions options;
  options.path = path;
  auto outbox = Outbox::open(options, &report);
  ASSERT_TRUE(report.recovered_corrupt);
  EXPECT_GE(report.salvaged, 490u);
  EXPECT_LE(report.salvaged, 500u);
  EXPECT_EQ(report.salvaged + report.unrecoverable, 500u);
  for (const auto& r : test::read_all(path)) EXPECT_GT(r.seq, 1000u) << "acked rows stay gone";
}

TEST(OutboxSalvage, MissingDatabaseWithSeqMarkDoesNotRestartAtOne) {
  TempDir dir;
  const std::string path = dir.file("outbox.db");
  make_outbox(path, 10, 10);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  OpenReport report;
  OutboxOptions options;
  options.path = path;
  Outbox::open(options, &report)->close();
  EXPECT_TRUE(report.created);
  EXPECT_GT(report.next_seq, 10u);
}

TEST(OutboxSalvage, PayloadMustCarryItsOwnSeq) {
  EXPECT_TRUE(payload_matches_seq(R"({"a":1,"dg:gatewaySeq":7})", 7));
  EXPECT_TRUE(payload_matches_seq(R"({"type":"x","gatewaySeq":9})", 9));
  EXPECT_FALSE(payload_matches_seq(R"({"dg:gatewaySeq":8})", 7));
  EXPECT_FALSE(payload_matches_seq(R"({"dg:gatewaySeq":7)", 7));
  EXPECT_FALSE(payload_matches_seq("row-7:not-json", 7));
}

}  // namespace
}  // namespace dockgate::buffer

// SPDX-License-Identifier: Apache-2.0
// Opening damaged files: they are moved aside (never deleted) and a fresh outbox works.
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>

#include "buffer/outbox.hpp"
#include "tests/buffer/test_util.hpp"

namespace dockgate::buffer {
namespace {

using test::DoneLog;
using test::TempDir;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// ".corrupt-yyyymmddThhmmssZ", optionally followed by "-N". (No std::regex: GCC 12 warns
// inside it under -O1 -Wmaybe-uninitialized.)
bool is_corrupt_suffix(const std::string& s) {
  const std::string head = ".corrupt-";
  if (!s.starts_with(head) || s.size() < head.size() + 16) return false;
  const std::string stamp = s.substr(head.size(), 16);
  for (std::size_t i = 0; i < 16; ++i) {
    const bool digit = std::isdigit(static_cast<unsigned char>(stamp[i])) != 0;
    if ((i == 8 && stamp[i] != 'T') || (i == 15 && stamp[i] != 'Z') ||
        (i != 8 && i != 15 && !digit)) {
      return false;
    }
  }
  const std::string tail = s.substr(head.size() + 16);
  if (tail.empty()) return true;
  return tail.size() >= 2 && tail[0] == '-' &&
         tail.find_first_not_of("0123456789", 1) == std::string::npos;
}

// A closed outbox with n rows of 500-byte payloads.
void make_outbox(const std::string& path, std::size_t n) {
  OutboxOptions options;
  options.path = path;
  auto outbox = Outbox::open(options);
  DoneLog log(n);
  for (std::size_t i = 0; i < n; ++i) outbox->append(test::record(log.callback(i), 500));
  ASSERT_TRUE(log.wait_calls(n));
}

// Opens `path`, expects the recovery, checks the moved file and that the new one works.
// `used_seqs`: seqs the damaged file had assigned (its "<path>.seq" mark covers them): the
// new numbering starts above them; 0 = no outbox before, numbering starts at 1.
void expect_recovered(const std::string& path, const std::string& original,
                      std::uint64_t used_seqs = 0) {
  OpenReport report;
  OutboxOptions options;
  options.path = path;
  auto outbox = Outbox::open(options, &report);
  EXPECT_TRUE(report.recovered_corrupt);
  EXPECT_TRUE(report.created);
  if (used_seqs == 0) {
    EXPECT_EQ(report.next_seq, 1u);
  } else {
    EXPECT_GT(report.next_seq, used_seqs) << "a seq is never reused";
  }
  ASSERT_TRUE(report.moved_aside_to.starts_with(path)) << report.moved_aside_to;
  EXPECT_TRUE(is_corrupt_suffix(report.moved_aside_to.substr(path.size())))
      << report.moved_aside_to;
  EXPECT_EQ(read_file(report.moved_aside_to), original) << "moved, byte for byte, not deleted";

  DoneLog log(1);
  outbox->append(test::record(log.callback(0)));
  ASSERT_TRUE(log.wait_calls(1));
  EXPECT_TRUE(log.fates()[0].committed);
  EXPECT_EQ(log.fates()[0].seq, report.next_seq);
}

TEST(OutboxRecovery, GarbageFileAndItsWalAreMovedAside) {
  TempDir dir;
  const std::string path = dir.file("outbox.db");
  std::string garbage(16384, '\0');
  for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>((i * 131) % 251);
  write_file(path, garbage);
  write_file(path + "-wal", "not a wal either");
  expect_recovered(path, garbage);
  // The stale WAL went with it: replaying it into the new file would be wrong.
  EXPECT_FALSE(std::filesystem::exists(path + "-wal") &&
               read_file(path + "-wal") == "not a wal either");
  bool wal_moved = false;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    if (name.find(".corrupt-") != std::string::npos && name.ends_with("-wal")) {
      wal_moved = read_file(entry.path().string()) == "not a wal either";
    }
  }
  EXPECT_TRUE(wal_moved);
}

TEST(OutboxRecovery, DamagedPagesAreDetectedByQuickCheck) {
  TempDir dir;
  const std::string path = dir.file("outbox.db");
  make_outbox(path, 400);
  std::string bytes = read_file(path);
  ASSERT_GT(bytes.size(), 40u * 4096u);
  // Overwrite a B-tree page in the middle (the header stays valid: SQLite opens the file).
  for (std::size_t i = 20UL * 4096UL; i < 21UL * 4096UL; ++i) bytes[i] = static_cast<char>(0xA5);
  write_file(path, bytes);
  expect_recovered(path, bytes, 400);
}

TEST(OutboxRecovery, TruncatedFileIsDetected) {
  TempDir dir;
  const std::string path = dir.file("outbox.db");
  make_outbox(path, 400);
  std::string bytes = read_file(path);
  bytes.resize(bytes.size() / 2);
  write_file(path, bytes);
  expect_recovered(path, bytes, 400);
}

TEST(OutboxRecovery, TwoRecoveriesInOneSecondKeepBothFiles) {
  TempDir dir;
  const std::string path = dir.file("outbox.db");
  write_file(path, std::string(4096, 'a'));
  OutboxOptions options;
  options.path = path;
  OpenReport first;
  Outbox::open(options, &first)->close();
  write_file(path, std::string(4096, 'b'));
  for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(path + suffix);
  OpenReport second;
  Outbox::open(options, &second)->close();
  ASSERT_TRUE(first.recovered_corrupt);
  ASSERT_TRUE(second.recovered_corrupt);
  EXPECT_NE(first.moved_aside_to, second.moved_aside_to);
  EXPECT_EQ(read_file(first.moved_aside_to), std::string(4096, 'a'));
  EXPECT_EQ(read_file(second.moved_aside_to), std::string(4096, 'b'));
}

}  // namespace
}  // namespace dockgate::buffer

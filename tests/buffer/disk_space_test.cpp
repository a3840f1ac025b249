// SPDX-License-Identifier: Apache-2.0
// A really full disk: the outbox on a 2 MiB tmpfs (mounted by the test; as fallback, where
// mounting is not permitted, a 2 MiB max_file_bytes cap). The broker is "down" while 6,000
// records arrive at a steady rate, the process stops with the disk full, restarts, and the
// "broker" acks: nothing gets stuck, every record is either delivered or counted as rejected,
// and the rejected count survives the restart.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <filesystem>
#include <thread>

#include "buffer/outbox.hpp"
#include "tests/buffer/test_util.hpp"

namespace dockgate::buffer {
namespace {

using test::DoneLog;
using test::TempDir;
using namespace std::chrono_literals;

constexpr std::uint64_t kFsBytes = 2ULL * 1024 * 1024;

// A 2 MiB tmpfs on a fresh directory, unmounted at the end; mounted() false where the test
// may not mount (not root, no CAP_SYS_ADMIN).
class SmallFs {
 public:
  SmallFs() : mount_point_(dir_.file("fs")) {
    std::filesystem::create_directory(mount_point_);
    const std::string opts = "size=" + std::to_string(kFsBytes) + ",mode=0700";
    mounted_ = ::mount("tmpfs", mount_point_.c_str(), "tmpfs", 0, opts.c_str()) == 0;
  }
  ~SmallFs() {
    if (mounted_) ::umount2(mount_point_.c_str(), MNT_DETACH);
  }
  SmallFs(const SmallFs&) = delete;
  SmallFs& operator=(const SmallFs&) = delete;
  [[nodiscard]] bool mounted() const { return mounted_; }
  [[nodiscard]] std::string file(const std::string& name) const {
    return mount_point_ + "/" + name;
  }

 private:
  TempDir dir_;
  std::string mount_point_;
  bool mounted_ = false;
};

std::string event_json(std::uint64_t seq) {
  std::string j = R"({"type":"ObjectEvent","eventID":"urn:uuid:00000000-0000-4000-8000-)" +
                  std::to_string(100000000000ULL + seq) + R"(","pad":")";
  j.append(520, 'p');
  j += R"(","dg:gatewaySeq":)" + std::to_string(seq) + "}";
  return j;
}

PendingRecord event(DoneFn done) {
  PendingRecord r;
  r.created_ms = 1700000000000;
  r.render = [](std::uint64_t seq) { return event_json(seq); };
  r.on_done = std::move(done);
  return r;
}

// Acks every pending row the way the uplink does after PUBACKs (batches of 500) until the
// backlog is empty; returns false when it does not get there.
bool drain(Outbox& outbox, const std::string& path) {
  for (int round = 0; round < 200; ++round) {
    const auto rows = test::read_all(path);
    if (rows.empty()) return test::wait_until([&] { return outbox.stats().pending_count == 0; });
    std::vector<std::uint64_t> seqs;
    for (const auto& r : rows) {
      seqs.push_back(r.seq);
      if (seqs.size() == 500) {
        outbox.ack(std::exchange(seqs, {}), 1);
      }
    }
    if (!seqs.empty()) outbox.ack(seqs, 1);
    const std::uint64_t last = rows.back().seq;
    test::wait_until(
        [&] {
          const auto left = test::read_all(path);
          return left.empty() || left.front().seq > last;
        },
        5s);
  }
  return false;
}

TEST(OutboxDiskSpace, FullTmpfsKeepsAcksWorkingAndCountsEveryRejection) {
  SmallFs fs;
  OutboxOptions options;
  options.path = fs.file("outbox.db");
  if (!fs.mounted()) options.max_file_bytes = kFsBytes;  // fallback: page cap as the "disk"
  constexpr std::size_t kSent = 6000;
  DoneLog log(kSent);

  // 1. Broker down: 6,000 records at ~1,000/s; the disk fills up on the way.
  {
    auto outbox = Outbox::open(options);
    const auto start = std::chrono::steady_clock::now();
    bool saw_full = false;
    for (std::size_t i = 0; i < kSent; ++i) {
      outbox->append(event(log.callback(i)));
      std::this_thread::sleep_until(start + std::chrono::microseconds(1000 * (i + 1)));
      if (i % 100 == 0) saw_full = saw_full || outbox->stats().write_failing;
    }
    std::this_thread::sleep_for(300ms);
    saw_full = saw_full || outbox->stats().write_failing;
    ASSERT_TRUE(saw_full) << "the disk must fill up, or the test proves nothing";
  }  // 2. stop while full: what still waits in memory is rejected
  ASSERT_EQ(log.calls(), kSent) << "every record's fate is reported at stop";
  std::uint64_t committed = 0;
  for (const auto& f : log.fates()) {
    EXPECT_EQ(f.calls, 1);
    if (f.committed) ++committed;
  }
  const std::uint64_t rejected = kSent - committed;
  std::cout << "[ figures  ] committed " << committed << ", rejected " << rejected << " of "
            << kSent << (fs.mounted() ? " on a 2 MiB tmpfs" : " under a 2 MiB file cap") << "\n";
  EXPECT_GE(committed, 1500u) << "the disk must be used, not lost to the WAL";
  EXPECT_GT(rejected, 0u);

  // 3. Restart: the count of rejections is in the file (also for `dockgate status`).
  {
    OutboxReader reader(options.path);
    const OutboxStats s = reader.stats();
    EXPECT_EQ(s.rejected_total, rejected);
    EXPECT_EQ(s.pending_count, committed);
  }
  OpenReport report;
  auto outbox = Outbox::open(options, &report);
  EXPECT_EQ(report.pending_at_start, committed);
  EXPECT_EQ(outbox->stats().rejected_total, rejected);

  // 4. Broker up: acks must succeed on the full disk and empty the backlog.
  ASSERT_TRUE(drain(*outbox, options.path)) << "acks got stuck on the full disk";
  OutboxStats s = outbox->stats();
  EXPECT_EQ(s.acked_total, committed);
  EXPECT_EQ(s.pending_count, 0u);
  EXPECT_EQ(s.acked_total + s.rejected_total, kSent) << "delivered + rejected == sent";

  // 5. Not stuck: new records are taken again once the acks made room.
  constexpr std::size_t kMore = 200;
  DoneLog more(kMore);
  for (std::size_t i = 0; i < kMore; ++i) outbox->append(event(more.callback(i)));
  ASSERT_TRUE(more.wait_calls(kMore, 20s));
  for (const auto& f : more.fates()) EXPECT_TRUE(f.committed);
  ASSERT_TRUE(drain(*outbox, options.path));
  outbox->close();

  OutboxReader reader(options.path);
  s = reader.stats();
  EXPECT_EQ(s.rejected_total, rejected) << "persistent across restarts";
  EXPECT_EQ(s.acked_total, committed + kMore);
  EXPECT_EQ(s.pending_count, 0u);
}

}  // namespace
}  // namespace dockgate::buffer

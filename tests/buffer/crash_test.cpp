// SPDX-License-Identifier: Apache-2.0
// A writer process killed mid-stream (SIGKILL from outside, or from inside a DoneFn) loses
// nothing it reported as committed, and the file it leaves holds seqs 1..last_seq, gap-free.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <set>

#include "buffer/outbox.hpp"
#include "tests/buffer/test_util.hpp"

namespace dockgate::buffer {
namespace {

using test::TempDir;

enum class Kill { from_parent, inside_done_fn };

constexpr std::uint64_t kKillAfter = 3000;  // committed seqs reported before the kill

// Child: appends until killed, writing each committed seq to `fd`. Never returns.
[[noreturn]] void run_child(const std::string& path, int fd, Kill kill) {
  OutboxOptions options;
  options.path = path;
  options.commit_max_rows = 64;
  options.commit_max_delay = std::chrono::milliseconds(1);
  auto outbox = Outbox::open(options);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (std::uint64_t i = 0; std::chrono::steady_clock::now() < give_up; ++i) {
    outbox->append(test::record(
        [fd, kill](bool committed, std::uint64_t seq) {
          if (!committed) return;
          if (write(fd, &seq, sizeof seq) != sizeof seq) _exit(3);
          // Mid-commit: the rest of this batch's DoneFns never run.
          if (kill == Kill::inside_done_fn && seq == kKillAfter) raise(SIGKILL);
        },
        200));
    if (i % 256 == 255) std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  _exit(2);  // the parent never killed us: it is gone or broken
}

// Kills and reaps the child if the test leaves early (a failed ASSERT).
struct ChildGuard {
  pid_t pid = -1;
  ~ChildGuard() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
};

void crash_and_check(Kill kill) {
  TempDir dir;
  const std::string path = dir.file("outbox.db");
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    run_child(path, fds[1], kill);
  }
  ChildGuard guard{child};
  close(fds[1]);

  std::set<std::uint64_t> reported;
  bool killed = false;
  std::uint64_t seq = 0;
  for (;;) {
    const ssize_t n = read(fds[0], &seq, sizeof seq);
    if (n < 0 && errno == EINTR) continue;
    if (n != static_cast<ssize_t>(sizeof seq)) break;  // EOF: the child is gone
    reported.insert(seq);
    if (kill == Kill::from_parent && !killed && reported.size() >= kKillAfter) {
      ::kill(child, SIGKILL);
      killed = true;
    }
  }
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  guard.pid = -1;
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  ASSERT_GE(reported.size(), kKillAfter);

  OpenReport report;
  OutboxOptions options;
  options.path = path;
  auto outbox = Outbox::open(options, &report);
  EXPECT_FALSE(report.recovered_corrupt);
  const auto rows = test::read_all(path);
  ASSERT_FALSE(rows.empty());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].seq, i + 1) << "gap-free after the crash";
    ASSERT_EQ(rows[i].payload, test::payload_for(rows[i].seq, 200));
  }
  EXPECT_EQ(report.next_seq, rows.size() + 1);
  EXPECT_LE(*reported.rbegin(), rows.size()) << "every reported commit is in the file";
  EXPECT_EQ(reported.size(), *reported.rbegin()) << "reports were 1..n too";
}

TEST(OutboxCrash, KillFromOutsideLosesNoReportedCommit) {
  crash_and_check(Kill::from_parent);
}

TEST(OutboxCrash, KillInsideACommitLosesNoReportedCommit) {
  crash_and_check(Kill::inside_done_fn);
}

}  // namespace
}  // namespace dockgate::buffer

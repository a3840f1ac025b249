// SPDX-License-Identifier: Apache-2.0
// Pure logic of the camera driver: when a spool file is complete, and consecutive-frame
// deduplication.
#include <gtest/gtest.h>

#include "drivers/camera/repeat_filter.hpp"
#include "drivers/camera/spool_tracker.hpp"

namespace dockgate::drivers {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

SpoolFile file(const std::string& name, std::uintmax_t size) {
  SpoolFile f;
  f.name = name;
  f.size = size;
  f.mtime = std::filesystem::file_time_type{} + std::chrono::seconds(size);
  return f;
}

TEST(SpoolTracker, CloseWriteMakesAFileReadyAtOnce) {
  SpoolTracker t(500ms);
  t.on_writing("a.jpg");
  EXPECT_TRUE(t.take_ready(10).empty());
  t.on_complete("a.jpg");
  EXPECT_EQ(t.take_ready(10), std::vector<std::string>{"a.jpg"});
  EXPECT_EQ(t.in_flight(), 1u);
  t.done("a.jpg");
  EXPECT_EQ(t.in_flight(), 0u);
}

TEST(SpoolTracker, FileBeingWrittenIsNotSettledByTimeWhileInotifyWatches) {
  SpoolTracker t(100ms);
  const auto t0 = Clock::now();
  t.on_writing("slow.png");
  t.on_listing({file("slow.png", 10)}, t0);
  t.on_listing({file("slow.png", 10)}, t0 + 10s);  // writer paused for long
  EXPECT_TRUE(t.take_ready(10).empty());
  t.forget_writers();  // inotify overflowed: fall back to size/mtime
  t.on_listing({file("slow.png", 10)}, t0 + 11s);
  EXPECT_TRUE(t.take_ready(10).empty());
  t.on_listing({file("slow.png", 10)}, t0 + 11s + 100ms);
  EXPECT_EQ(t.take_ready(10).size(), 1u);
}

TEST(SpoolTracker, ListedFilesSettleWhenSizeAndMtimeStayUnchanged) {
  SpoolTracker t(500ms);
  const auto t0 = Clock::now();
  t.on_listing({file("x.png", 1)}, t0);
  EXPECT_TRUE(t.settling());
  t.on_listing({file("x.png", 2)}, t0 + 400ms);  // still growing
  t.on_listing({file("x.png", 2)}, t0 + 800ms);
  EXPECT_TRUE(t.take_ready(10).empty());
  t.on_listing({file("x.png", 2)}, t0 + 900ms);
  EXPECT_EQ(t.take_ready(10), std::vector<std::string>{"x.png"});
  EXPECT_FALSE(t.settling());
}

TEST(SpoolTracker, IgnoresHiddenAndTemporaryNames) {
  for (const char* name : {".x.png", "a.png.part", "a.PART", "b.tmp", "c.filepart", ""}) {
    EXPECT_TRUE(SpoolTracker::ignored(name)) << name;
  }
  EXPECT_FALSE(SpoolTracker::ignored("snapshot.jpg"));
  SpoolTracker t(1ms);
  t.on_complete("upload.part");
  t.on_listing({file("b.tmp", 1)}, Clock::now());
  t.on_listing({file("b.tmp", 1)}, Clock::now() + 1s);
  EXPECT_TRUE(t.take_ready(10).empty());
}

TEST(SpoolTracker, TakeReadyIsBoundedAndOldestFirst) {
  SpoolTracker t(500ms);
  for (const char* name : {"1.png", "2.png", "3.png"}) t.on_complete(name);
  EXPECT_EQ(t.take_ready(2), (std::vector<std::string>{"1.png", "2.png"}));
  EXPECT_EQ(t.ready(), 1u);
  // An in-flight file is not dropped by a listing that misses it (it is being moved).
  t.on_listing({}, Clock::now());
  EXPECT_EQ(t.in_flight(), 2u);
  EXPECT_EQ(t.ready(), 0u);  // 3.png vanished before it was taken
}

TEST(SpoolTracker, HeldFileIsNotDecodedAgainUntilItDisappears) {
  SpoolTracker t(1ms);
  const auto t0 = Clock::now();
  t.on_complete("stuck.png");
  ASSERT_EQ(t.take_ready(1).size(), 1u);
  t.hold("stuck.png");
  EXPECT_EQ(t.in_flight(), 0u);
  t.on_listing({file("stuck.png", 5)}, t0);
  t.on_listing({file("stuck.png", 5)}, t0 + 1s);
  t.on_complete("stuck.png");
  EXPECT_TRUE(t.take_ready(10).empty());
  t.on_listing({}, t0 + 2s);  // removed by the operator; a new upload is decoded again
  t.on_complete("stuck.png");
  EXPECT_EQ(t.take_ready(10).size(), 1u);
}

TEST(RepeatFilter, SameCodeInConsecutiveFramesIsOneRead) {
  RepeatFilter f(2s);
  const auto t0 = Clock::now();
  EXPECT_TRUE(f.admit("]C1", "00340123450000000420", t0));
  EXPECT_FALSE(f.admit("]C1", "00340123450000000420", t0 + 1s));
  EXPECT_FALSE(f.admit("]C1", "00340123450000000420", t0 + 2500ms));  // still in view
  EXPECT_TRUE(f.admit("]d2", "00340123450000000420", t0 + 2600ms));   // other symbology
  EXPECT_TRUE(f.admit("]C1", "00340123450000000420", t0 + 5s));       // gone, then back
  EXPECT_LE(f.size(), 2u);
}

}  // namespace
}  // namespace dockgate::drivers

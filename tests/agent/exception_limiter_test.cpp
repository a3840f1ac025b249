// SPDX-License-Identifier: Apache-2.0
// ExceptionLimiter: exact counts, one summary per window and kind, babbling state.
#include "agent/core/exception_limiter.hpp"

#include <gtest/gtest.h>

namespace dockgate {
namespace {

ExceptionLimitSettings settings(std::uint32_t burst, std::int64_t interval_ms) {
  ExceptionLimitSettings s;
  s.burst = burst;
  s.interval = std::chrono::milliseconds(interval_ms);
  return s;
}

TEST(ExceptionLimiterTest, FirstBurstInFullThenCountedExactlyWithTheFirstAsSample) {
  ExceptionLimiter limiter(settings(10, 60'000));
  int full = 0;
  for (int i = 0; i < 7'833; ++i) {
    const std::int64_t t = 1'000'000 + i;  // all within one window
    full += limiter.admit("door3-serial", "door-03", "invalid_barcode", t,
                          "noise-" + std::to_string(i), "reason " + std::to_string(i))
                ? 1
                : 0;
  }
  EXPECT_EQ(full, 10);
  ASSERT_EQ(limiter.babbling().count("door3-serial"), 1u);
  EXPECT_EQ(limiter.babbling().at("door3-serial").since_ms, 1'000'010);
  EXPECT_EQ(limiter.babbling().at("door3-serial").suppressed, 7'823u);

  EXPECT_TRUE(limiter.tick(1'059'999).empty());  // window not over yet
  const auto summaries = limiter.tick(1'060'000);
  ASSERT_EQ(summaries.size(), 1u);
  const auto& s = summaries[0];
  EXPECT_EQ(s.driver_id, "door3-serial");
  EXPECT_EQ(s.location_id, "door-03");
  EXPECT_EQ(s.kind, "invalid_barcode");
  EXPECT_EQ(s.suppressed, 7'823u);
  EXPECT_EQ(s.published, 10u);
  EXPECT_EQ(s.suppressed + s.published, 7'833u);
  EXPECT_EQ(s.window_start_ms, 1'000'000);
  EXPECT_EQ(s.window_end_ms, 1'060'000);
  EXPECT_EQ(s.sample, "noise-10");
  EXPECT_EQ(s.sample_reason, "reason 10");
  EXPECT_TRUE(limiter.tick(1'060'500).empty());  // a summary goes out once
}

TEST(ExceptionLimiterTest, KindsAndDriversHaveTheirOwnBudget) {
  ExceptionLimiter limiter(settings(2, 1'000));
  EXPECT_TRUE(limiter.admit("a", "door-1", "invalid_barcode", 0, "", ""));
  EXPECT_TRUE(limiter.admit("a", "door-1", "invalid_barcode", 1, "", ""));
  EXPECT_FALSE(limiter.admit("a", "door-1", "invalid_barcode", 2, "x", ""));
  EXPECT_TRUE(limiter.admit("a", "door-1", "frame_too_long", 3, "", ""));
  EXPECT_TRUE(limiter.admit("b", "door-2", "invalid_barcode", 4, "", ""));
  EXPECT_EQ(limiter.babbling().size(), 1u);
  const auto summaries = limiter.tick(1'000);
  ASSERT_EQ(summaries.size(), 1u);  // only the window that suppressed something
  EXPECT_EQ(summaries[0].driver_id, "a");
  EXPECT_EQ(summaries[0].kind, "invalid_barcode");
  EXPECT_EQ(summaries[0].suppressed, 1u);
}

TEST(ExceptionLimiterTest, NewWindowStartsWithAFreshBudgetAndLateTickLosesNothing) {
  ExceptionLimiter limiter(settings(1, 1'000));
  std::uint64_t full = 0;
  std::uint64_t total = 0;
  // 3 windows of 5 exceptions each; tick() is never called in between (a stalled loop).
  for (int window = 0; window < 3; ++window) {
    for (int i = 0; i < 5; ++i) {
      ++total;
      full += limiter.admit("a", "door-1", "k", window * 1'000 + i * 100, "", "") ? 1 : 0;
    }
  }
  EXPECT_EQ(full, 3u);
  std::uint64_t summarised = 0;
  const auto summaries = limiter.tick(10'000);
  ASSERT_EQ(summaries.size(), 3u);
  for (const auto& s : summaries) summarised += s.suppressed;
  EXPECT_EQ(summaries[0].window_start_ms, 0);
  EXPECT_EQ(summaries[2].window_start_ms, 2'000);
  EXPECT_EQ(full + summarised, total);
}

TEST(ExceptionLimiterTest, BabblingClearsAfterAQuietInterval) {
  ExceptionLimiter limiter(settings(1, 1'000));
  const auto before = limiter.changes();
  limiter.admit("a", "door-1", "k", 0, "", "");
  limiter.admit("a", "door-1", "k", 10, "", "");
  EXPECT_EQ(limiter.babbling().count("a"), 1u);
  EXPECT_GT(limiter.changes(), before);
  limiter.admit("a", "door-1", "k", 900, "", "");  // still noisy late in the window
  EXPECT_EQ(limiter.tick(1'000).size(), 1u);
  EXPECT_EQ(limiter.babbling().count("a"), 1u);  // last one only 100 ms ago
  EXPECT_EQ(limiter.tick(1'899).size(), 0u);
  EXPECT_EQ(limiter.babbling().count("a"), 1u);
  const auto during = limiter.changes();
  limiter.tick(1'900);  // a full interval since the last exception
  EXPECT_EQ(limiter.babbling().count("a"), 0u);
  EXPECT_GT(limiter.changes(), during);
}

}  // namespace
}  // namespace dockgate

// SPDX-License-Identifier: Apache-2.0
#include "agent/core/dedup_filter.hpp"

#include <gtest/gtest.h>

namespace dockgate {
namespace {

TEST(DedupFilter, SlidingWindowFromLastSeen) {
  DedupFilter f(std::chrono::milliseconds(5000));
  EXPECT_FALSE(f.suppress("d3", "A", 0));
  EXPECT_TRUE(f.suppress("d3", "A", 4000));
  // Still in front of the scanner: each repeat extends the window.
  EXPECT_TRUE(f.suppress("d3", "A", 8000));
  EXPECT_FALSE(f.suppress("d3", "A", 13001));
  EXPECT_EQ(f.suppressed_total(), 2U);
}

TEST(DedupFilter, DifferentCodeOrLocationIsNotARepeat) {
  DedupFilter f(std::chrono::milliseconds(5000));
  EXPECT_FALSE(f.suppress("d3", "A", 0));
  EXPECT_FALSE(f.suppress("d3", "B", 10));
  EXPECT_FALSE(f.suppress("d7", "A", 20));
  EXPECT_EQ(f.suppressed_total(), 0U);
}

TEST(DedupFilter, ZeroWindowDisables) {
  DedupFilter f(std::chrono::milliseconds(0));
  EXPECT_FALSE(f.suppress("d3", "A", 0));
  EXPECT_FALSE(f.suppress("d3", "A", 0));
}

TEST(DedupFilter, ClockStepBackWithinWindowStillRepeat) {
  DedupFilter f(std::chrono::milliseconds(5000));
  EXPECT_FALSE(f.suppress("d3", "A", 10'000));
  EXPECT_TRUE(f.suppress("d3", "A", 9'000));
  EXPECT_FALSE(f.suppress("d3", "A", 1'000));  // stepped back further than the window
}

TEST(DedupFilter, MemoryStaysBounded) {
  DedupFilter f(std::chrono::milliseconds(1000));
  for (int i = 0; i < 100'000; ++i) f.suppress("d3", std::to_string(i), i * 10);
  // About two windows' worth of distinct codes (100 per window) remain.
  EXPECT_LE(f.remembered(), 250U);
}

}  // namespace
}  // namespace dockgate

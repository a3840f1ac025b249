// SPDX-License-Identifier: Apache-2.0
#include "agent/core/event_id.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace dockgate {
namespace {

TEST(EventId, Rfc9562Version7Layout) {
  EventIdGenerator g(1);
  const std::string id = g.next(0x0193'6b2e'1234LL);
  EXPECT_TRUE(std::regex_match(
      id,
      std::regex("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << id;
  EXPECT_EQ(id.substr(9, 13), "01936b2e-1234");  // 48-bit ms timestamp first
}

TEST(EventId, MonotonicWithinOneMillisecondAndWhenClockStepsBack) {
  EventIdGenerator g(2);
  std::string last;
  std::set<std::string> seen;
  for (int i = 0; i < 10'000; ++i) {
    const std::int64_t t = 1'700'000'000'000 + (i % 3 == 0 ? -5 : 0);  // some steps back
    std::string id = g.next(t);
    EXPECT_GT(id, last);
    EXPECT_TRUE(seen.insert(id).second);
    last = id;
  }
}

TEST(NameBasedEventId, SameNameSameIdVersion5DifferentNamesDiffer) {
  const std::string a = name_based_event_id("dockgate/dock/gw/door-07/ab/3/0");
  EXPECT_EQ(a, name_based_event_id("dockgate/dock/gw/door-07/ab/3/0"));
  EXPECT_NE(a, name_based_event_id("dockgate/dock/gw/door-07/ab/3/1"));
  EXPECT_NE(a, name_based_event_id("dockgate/dock/gw/door-07/ac/3/0"));
  ASSERT_EQ(a.size(), 45U);  // "urn:uuid:" + 36
  EXPECT_EQ(a.rfind("urn:uuid:", 0), 0U);
  EXPECT_EQ(a[9 + 14], '5');  // version nibble (RFC 9562 section 5.5)
  const char variant = a[9 + 19];
  EXPECT_TRUE(variant == '8' || variant == '9' || variant == 'a' || variant == 'b') << a;
}

}  // namespace
}  // namespace dockgate

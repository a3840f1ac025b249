// SPDX-License-Identifier: Apache-2.0
// Invariants of the AI table and spot checks against GS General Specifications section 3.
#include <gtest/gtest.h>

#include <string>

#include "agent/gs1/ai_table.hpp"

namespace dockgate::gs1 {
namespace {

TEST(AiTable, PredefinedFlagMatchesFigure785AndIsFixedLength) {
  for (const AiInfo& info : ai_table()) {
    EXPECT_EQ(info.predefined(), predefined_length_prefix(info.first)) << info.first;
    EXPECT_EQ(info.predefined(), predefined_length_prefix(info.last)) << info.last;
    if (info.predefined()) {
      EXPECT_TRUE(info.fixed_length()) << info.first;
    }
    EXPECT_GE(info.component_count(), 1U) << info.first;
    EXPECT_GE(info.first.size(), 2U);
    EXPECT_LE(info.first.size(), 4U);
    EXPECT_EQ(info.first.size(), info.last.size());
  }
}

TEST(AiTable, NoAiIsAPrefixOfAnother) {
  // The parser relies on this to split concatenated element strings (GS General
  // Specifications 3.2: the AI length follows from its first two digits).
  for (const AiInfo& a : ai_table()) {
    for (const AiInfo& b : ai_table()) {
      if (&a == &b || a.first.size() >= b.first.size()) continue;
      const bool clash = b.first.substr(0, a.first.size()) >= a.first &&
                         b.first.substr(0, a.first.size()) <= a.last;
      const bool clash_last =
          b.last.substr(0, a.first.size()) >= a.first && b.last.substr(0, a.first.size()) <= a.last;
      EXPECT_FALSE(clash || clash_last) << a.first << " vs " << b.first;
    }
  }
}

TEST(AiTable, CoversTheRequiredAis) {
  const char* required[] = {
      "00",   "01",   "02",   "10",   "11",   "12",   "13",   "15",   "16",   "17",   "20",
      "21",   "22",   "235",  "240",  "241",  "242",  "250",  "251",  "253",  "254",  "255",
      "30",   "37",   "400",  "401",  "402",  "403",  "410",  "411",  "412",  "413",  "414",
      "415",  "416",  "417",  "420",  "421",  "422",  "423",  "424",  "425",  "426",  "427",
      "7001", "7002", "7003", "7004", "7005", "7006", "7007", "7008", "7009", "7010", "7020",
      "7021", "7022", "7023", "7030", "7039", "710",  "711",  "712",  "713",  "714",  "715",
      "8001", "8002", "8003", "8004", "8005", "8006", "8007", "8008", "8010", "8011", "8012",
      "8013", "8017", "8018", "8019", "8020", "8026", "8110", "8112", "8200", "90",   "91",
      "92",   "93",   "94",   "95",   "96",   "97",   "98",   "99"};
  for (const char* ai : required) EXPECT_NE(lookup_ai(ai), nullptr) << ai;
  // Measures: 310n-316n, 320n-369n (n = 0..5), 390n-395n.
  for (int group = 310; group <= 369; ++group) {
    if (group > 316 && group < 320) continue;
    if (group == 338 || group == 339 || group == 358 || group == 359) continue;  // unassigned
    for (int n = 0; n <= 5; ++n) {
      const std::string ai = std::to_string(group) + std::to_string(n);
      ASSERT_NE(lookup_ai(ai), nullptr) << ai;
      EXPECT_EQ(decimal_places(ai), n) << ai;
      EXPECT_TRUE(lookup_ai(ai)->predefined()) << ai;
    }
  }
  for (const char* ai : {"3900", "3909", "3910", "3920", "3930", "3940", "3943", "3950", "3955"}) {
    EXPECT_NE(lookup_ai(ai), nullptr) << ai;
    EXPECT_FALSE(lookup_ai(ai)->predefined()) << ai;
  }
}

TEST(AiTable, SpotChecksAgainstTheSpecification) {
  const AiInfo* sscc = lookup_ai("00");
  ASSERT_NE(sscc, nullptr);
  EXPECT_EQ(sscc->title, "SSCC");
  EXPECT_TRUE(sscc->fixed_length());
  EXPECT_EQ(sscc->max_length(), 18U);
  EXPECT_TRUE(sscc->has_check_digit());
  EXPECT_TRUE(sscc->numeric());

  const AiInfo* batch = lookup_ai("10");
  ASSERT_NE(batch, nullptr);
  EXPECT_FALSE(batch->fixed_length());
  EXPECT_EQ(batch->max_length(), 20U);
  EXPECT_EQ(batch->components[0].cset, Cset::kCset82);
  EXPECT_FALSE(batch->predefined());

  EXPECT_TRUE(lookup_ai("17")->has_date());
  EXPECT_FALSE(lookup_ai("17")->has_check_digit());
  EXPECT_EQ(lookup_ai("37")->max_length(), 8U);
  EXPECT_FALSE(lookup_ai("37")->predefined());
  EXPECT_EQ(lookup_ai("400")->max_length(), 30U);
  EXPECT_EQ(lookup_ai("402")->max_length(), 17U);
  EXPECT_TRUE(lookup_ai("414")->predefined());
  EXPECT_EQ(lookup_ai("8010")->components[0].cset, Cset::kCset39);
  EXPECT_EQ(lookup_ai("253")->min_length(), 13U);
  EXPECT_EQ(lookup_ai("253")->max_length(), 30U);
  EXPECT_EQ(lookup_ai("91")->max_length(), 90U);
  EXPECT_EQ(decimal_places("3103"), 3);
  EXPECT_EQ(decimal_places("3922"), 2);
  EXPECT_EQ(decimal_places("01"), -1);
  EXPECT_EQ(decimal_places("3106"), -1);  // unassigned
}

TEST(AiTable, LookupRejectsUnknownAndMalformed) {
  for (const char* ai : {"", "0", "04", "05", "19", "23", "3106", "38", "999", "99999", "ab"}) {
    EXPECT_EQ(lookup_ai(ai), nullptr) << ai;
  }
  std::size_t len = 7;
  EXPECT_EQ(match_ai_prefix("3", len), nullptr);
  EXPECT_EQ(len, 0U);
  ASSERT_NE(match_ai_prefix("3103000750", len), nullptr);
  EXPECT_EQ(len, 4U);
  ASSERT_NE(match_ai_prefix("235ABC", len), nullptr);
  EXPECT_EQ(len, 3U);
}

}  // namespace
}  // namespace dockgate::gs1

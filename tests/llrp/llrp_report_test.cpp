// SPDX-License-Identifier: Apache-2.0
// RO_ACCESS_REPORT decoding (LLRP 1.0.1 section 13.2.3): the example of the team's notes,
// EPCData of any length, the "absent field = last value" rule, skipped TLVs and Customs,
// and malformed input that must give errors, never crashes.
#include "drivers/llrp/llrp_report.hpp"

#include <gtest/gtest.h>

#include "drivers/llrp/llrp_frame.hpp"
#include "tests/llrp/hex.hpp"

namespace dockgate::drivers::llrp {
namespace {

using test::from_hex;
using test::to_hex;

constexpr std::int64_t kFirstSeenMs = 1741939965120;  // 2025-03-14T08:12:45.120Z
const char* const kTag =
    "00f00022 8d3034f4e4e40ad9c000002694 810001 86c9 820006304900d74e00 880003";

ReportResult decode(const std::string& hex, UptimeClock clock = {}) {
  const auto bytes = from_hex(hex);
  return decode_ro_access_report(bytes, clock);
}

TEST(LlrpReport, ExampleReport) {
  const auto message = from_hex(std::string("043d0000002c00000000 ") + kTag);
  const auto check = check_frame(message);
  ASSERT_EQ(check.state, FrameState::complete);
  ASSERT_EQ(check.header.type, kRoAccessReport);
  const auto result = decode_ro_access_report(std::span(message).subspan(kHeaderBytes), {});
  ASSERT_TRUE(result.error.empty()) << result.error;
  ASSERT_EQ(result.sightings.size(), 1U);
  const TagSighting& tag = result.sightings[0];
  EXPECT_EQ(to_hex(tag.epc), "3034f4e4e40ad9c000002694");
  EXPECT_EQ(tag.epc_bits, 96U);
  EXPECT_EQ(tag.antenna_id, 1);
  EXPECT_EQ(tag.peak_rssi_dbm, -55);
  EXPECT_EQ(tag.first_seen_ms, kFirstSeenMs);
  EXPECT_EQ(tag.last_seen_ms, 0);
  EXPECT_EQ(tag.seen_count, 3U);
}

TEST(LlrpReport, AbsentFieldsTakeTheLastValueOfTheReport) {
  // Second tag: EPC and LastSeenUTC only; third: antenna 2, count 1.
  const auto result = decode(std::string(kTag) +
                             " 00f0001a 8d3034f4e4e40ad9c000002695 840006304900d74e00"
                             " 00f00017 8d3034f4e4e40ad9c000002696 810002 880001");
  ASSERT_TRUE(result.error.empty()) << result.error;
  ASSERT_EQ(result.sightings.size(), 3U);
  const TagSighting& second = result.sightings[1];
  EXPECT_EQ(second.antenna_id, 1);
  EXPECT_EQ(second.peak_rssi_dbm, -55);
  EXPECT_EQ(second.first_seen_ms, kFirstSeenMs);
  EXPECT_EQ(second.last_seen_ms, kFirstSeenMs);
  EXPECT_EQ(second.seen_count, 3U);
  const TagSighting& third = result.sightings[2];
  EXPECT_EQ(third.antenna_id, 2);
  EXPECT_EQ(third.seen_count, 1U);
  EXPECT_EQ(third.last_seen_ms, kFirstSeenMs);
}

TEST(LlrpReport, NothingReportedGivesDefaults) {
  const auto result = decode("00f00011 8d3034f4e4e40ad9c000002694");
  ASSERT_TRUE(result.error.empty()) << result.error;
  ASSERT_EQ(result.sightings.size(), 1U);
  EXPECT_EQ(result.sightings[0].antenna_id, 0);
  EXPECT_FALSE(result.sightings[0].peak_rssi_dbm.has_value());
  EXPECT_EQ(result.sightings[0].first_seen_ms, 0);
  EXPECT_EQ(result.sightings[0].seen_count, 1U);
}

TEST(LlrpReport, EpcData198Bits) {
  const std::string epc = "3634f4e4e40ad9e84198b5bb766c4000000000000000000000";
  const auto result = decode("00f00026 00f1001f00c6" + epc + " 810003");
  ASSERT_TRUE(result.error.empty()) << result.error;
  ASSERT_EQ(result.sightings.size(), 1U);
  EXPECT_EQ(result.sightings[0].epc_bits, 198U);
  EXPECT_EQ(to_hex(result.sightings[0].epc), epc);
  EXPECT_EQ(result.sightings[0].antenna_id, 3);
}

TEST(LlrpReport, EpcDataPadBitsAreCleared) {
  // 198 bits: the last byte holds 6 EPC bits and 2 pad bits.
  const std::string epc = "3634f4e4e40ad9e84198b5bb766c4000000000000000000000";
  const auto result = decode("00f00023 00f1001f00c6" + epc.substr(0, 48) + "ff");
  ASSERT_TRUE(result.error.empty()) << result.error;
  EXPECT_EQ(result.sightings.at(0).epc.back(), 0xfc);
}

TEST(LlrpReport, EpcDataLongerThanItsParameterIsAnError) {
  const auto result = decode("00f0000c 00f1000800c6 0000");
  EXPECT_NE(result.error.find("EPCData claims 198 bits"), std::string::npos) << result.error;
}

TEST(LlrpReport, CustomAndUnknownTlvsAreSkipped) {
  // Top level: Custom (Impinj 25882, subtype 709 unknown) and an unknown TLV 768; inside the
  // tag: Impinj peak RSSI custom (subtype 57), an unknown TLV 769, then AntennaID.
  const auto result = decode(
      "03ff000e0000651a000002c5abcd 03000006beef "
      "00f00026 8d3034f4e4e40ad9c000002694 03ff000e0000651a00000039ffc9 03010004 810004 "
      "00f2000400");
  EXPECT_NE(result.error.find("TLV"), std::string::npos) << "00f2 length 4 then 1 stray byte";
  ASSERT_EQ(result.sightings.size(), 1U);
  EXPECT_EQ(result.sightings[0].antenna_id, 4);

  const auto clean = decode(
      "03ff000e0000651a000002c5abcd 03000006beef "
      "00f00026 8d3034f4e4e40ad9c000002694 03ff000e0000651a00000039ffc9 03010004 810004 "
      "00f20004");
  ASSERT_TRUE(clean.error.empty()) << clean.error;
  ASSERT_EQ(clean.sightings.size(), 1U);
  EXPECT_EQ(clean.sightings[0].antenna_id, 4);
}

TEST(LlrpReport, UnknownTvStopsTheMessageKeepingEarlierTags) {
  const auto result = decode(std::string(kTag) + " 00f00014 8d3034f4e4e40ad9c000002695 990001");
  ASSERT_EQ(result.sightings.size(), 1U);
  EXPECT_NE(result.error.find("unknown TV parameter type 25"), std::string::npos) << result.error;
  EXPECT_NE(result.error.find("TagReportData 2"), std::string::npos) << result.error;
}

TEST(LlrpReport, UptimeTimestampsUseTheReadersBootTime) {
  const std::string hex = "00f0001a 8d3034f4e4e40ad9c000002694 8300000000004c4b40";
  const auto mapped = decode(hex, UptimeClock{1'000'000});
  ASSERT_TRUE(mapped.error.empty()) << mapped.error;
  EXPECT_EQ(mapped.sightings.at(0).first_seen_ms, 1'005'000);
  const auto unknown = decode(hex);
  EXPECT_EQ(unknown.sightings.at(0).first_seen_ms, 0);
  const auto last =
      decode("00f0001a 8d3034f4e4e40ad9c000002694 8500000000004c4b40", UptimeClock{1'000'000});
  EXPECT_EQ(last.sightings.at(0).last_seen_ms, 1'005'000);
}

TEST(LlrpReport, TagWithoutEpcIsAnError) {
  const auto result = decode("00f00007 810001");
  EXPECT_TRUE(result.sightings.empty());
  EXPECT_NE(result.error.find("without EPC"), std::string::npos) << result.error;
}

TEST(LlrpReport, EveryTruncationGivesAnErrorNotACrash) {
  const auto full = from_hex(kTag);
  for (std::size_t n = 1; n < full.size(); ++n) {
    const auto result = decode_ro_access_report(std::span(full).first(n), {});
    EXPECT_FALSE(result.error.empty()) << n;
    EXPECT_TRUE(result.sightings.empty()) << n;
  }
  // TagReportData length bounded by the message; a TV cut by the TagReportData's length.
  EXPECT_FALSE(decode("00f00030 8d3034f4e4e40ad9c000002694").error.empty());
  EXPECT_FALSE(decode("00f00014 8d3034f4e4e40ad9c000002694 8200063049").error.empty());
  EXPECT_FALSE(decode("00f00002").error.empty());
}

TEST(LlrpReport, GarbageNeverCrashes) {
  std::uint32_t x = 12345;
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(round % 97));
    for (auto& b : bytes) {
      x = x * 1103515245U + 12345U;
      b = static_cast<std::uint8_t>(x >> 16U);
    }
    if (bytes.size() > 1 && round % 3 == 0) {  // start with a TagReportData header
      bytes[0] = 0x00;
      bytes[1] = 0xf0;
    }
    const auto result = decode_ro_access_report(bytes, {});
    for (const auto& tag : result.sightings) EXPECT_LE(tag.epc.size() * 8, tag.epc_bits + 7);
  }
}

}  // namespace
}  // namespace dockgate::drivers::llrp

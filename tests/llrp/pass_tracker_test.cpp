// SPDX-License-Identifier: Apache-2.0
// PassTracker: reads -> one pass per tag per door, with real EPCs (TDS examples, GCP 4012345).
#include "drivers/llrp/pass_tracker.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dockgate::drivers::llrp {
namespace {

constexpr std::string_view kSscc = "31D4F4E4E4B2D05E2A000000";   // sscc-96:6.4012345.3000000042
constexpr std::string_view kSgtin = "3034F4E4E40AD9C000002694";  // sgtin-96:1.4012345.011111.9876
constexpr std::string_view kRaw = "E2801160600002054E2B1C3A";    // header E2: no TDS scheme
constexpr std::string_view kBadPartition = "31DCF4E4E4B2D05E2A000000";  // SSCC-96, partition 7
constexpr std::int64_t kT0 = 1'741'939'965'120;                         // 2025-03-14T08:12:45.120Z

std::vector<std::uint8_t> bytes_of(std::string_view hex) {
  std::vector<std::uint8_t> out;
  std::string error;
  EXPECT_TRUE(epc::parse_hex(hex, out, error)) << error;
  return out;
}

TagSighting sight(std::string_view hex, std::uint16_t antenna, std::int64_t first_seen,
                  std::optional<int> rssi = std::nullopt, std::uint32_t count = 1) {
  TagSighting t;
  t.epc = bytes_of(hex);
  t.epc_bits = t.epc.size() * 8;
  t.antenna_id = antenna;
  t.peak_rssi_dbm = rssi;
  t.first_seen_ms = first_seen;
  t.last_seen_ms = first_seen;
  t.seen_count = count;
  return t;
}

PassSettings one_door() {
  PassSettings s;
  s.default_location = "door-1";
  return s;
}

/// Door "door-7": antenna 1 outside, antenna 2 inside.
PassSettings portal() {
  PassSettings s;
  s.antennas = {{1, "door-7", AntennaRole::outside}, {2, "door-7", AntennaRole::inside}};
  return s;
}

TEST(PassTracker, ThirtySightingsOverFiveSecondsAreOnePass) {
  PassTracker tracker(one_door());
  std::int64_t last_rx = 0;
  for (int i = 0; i < 30; ++i) {
    const std::int64_t t = kT0 + std::int64_t{170} * i;  // 4.93 s in all
    const int rssi = i == 17 ? -41 : -60 - (i % 5);
    tracker.on_sighting(sight(kSscc, static_cast<std::uint16_t>(1 + i % 4), t, rssi, 2), t + 40);
    last_rx = t + 40;
    EXPECT_TRUE(tracker.advance(t + 100).empty()) << "pass ended early at sighting " << i;
  }
  EXPECT_EQ(tracker.next_deadline(), last_rx + 2000);
  EXPECT_TRUE(tracker.advance(last_rx + 1999).empty());
  const std::vector<Pass> passes = tracker.advance(last_rx + 2000);
  ASSERT_EQ(passes.size(), 1U);
  const Pass& p = passes[0];
  EXPECT_EQ(p.status, PassStatus::ok);
  EXPECT_EQ(p.location_id, "door-1");
  EXPECT_EQ(p.epc, bytes_of(kSscc));
  EXPECT_EQ(p.epc_bits, 96U);
  EXPECT_EQ(p.decoded.scheme, "sscc-96");
  EXPECT_EQ(p.decoded.filter, 6);
  EXPECT_EQ(p.decoded.tag_uri, "urn:epc:tag:sscc-96:6.4012345.3000000042");
  EXPECT_EQ(p.decoded.digital_link, "https://id.gs1.org/00/340123450000000420");
  EXPECT_EQ(p.first_seen_ms, kT0);
  EXPECT_EQ(p.last_seen_ms, kT0 + 4930);
  EXPECT_EQ(p.read_count, 60U);
  EXPECT_EQ(p.peak_rssi_dbm, -41);
  EXPECT_EQ(p.antenna_id, 2);  // sighting 17: antenna 1 + 17 % 4
  EXPECT_EQ(p.direction, Direction::none);
  EXPECT_EQ(tracker.counters().emitted, 1U);
}

TEST(PassTracker, WithoutReaderTimestampsTheReceiveTimeIsTheEventTime) {
  PassTracker tracker(one_door());
  tracker.on_sighting(sight(kSscc, 1, 0), kT0);
  tracker.on_sighting(sight(kSscc, 1, 0), kT0 + 500);
  const auto passes = tracker.advance(kT0 + 3000);
  ASSERT_EQ(passes.size(), 1U);
  EXPECT_EQ(passes[0].first_seen_ms, kT0);
  EXPECT_EQ(passes[0].last_seen_ms, kT0 + 500);
  EXPECT_EQ(passes[0].antenna_id, 1);  // no RSSI: the first sighting's antenna
  EXPECT_FALSE(passes[0].peak_rssi_dbm.has_value());
}

TEST(PassTracker, StagedTagIsOneMilestoneUntilUnseenForStageHold) {
  PassTracker tracker(one_door());
  tracker.on_sighting(sight(kSscc, 1, kT0), kT0);
  ASSERT_EQ(tracker.advance(kT0 + 2000).size(), 1U);
  // Seen again after a gap > pass_gap, still within stage_hold: a second pass, not emitted.
  tracker.on_sighting(sight(kSscc, 1, kT0 + 5000), kT0 + 5000);
  tracker.on_sighting(sight(kSscc, 1, kT0 + 5500), kT0 + 5500);
  EXPECT_TRUE(tracker.advance(kT0 + 7500).empty());
  EXPECT_EQ(tracker.counters().staged, 1U);
  // Unseen for stage_hold (60 s after the last sighting): forgotten, the next pass counts.
  EXPECT_EQ(tracker.next_deadline(), kT0 + 5500 + 60000);
  EXPECT_TRUE(tracker.advance(kT0 + 65500).empty());
  EXPECT_EQ(tracker.tracked(), 0U);
  EXPECT_EQ(tracker.next_deadline(), std::numeric_limits<std::int64_t>::max());
  tracker.on_sighting(sight(kSscc, 1, kT0 + 70000), kT0 + 70000);
  const auto again = tracker.advance(kT0 + 72000);
  ASSERT_EQ(again.size(), 1U);
  EXPECT_EQ(again[0].first_seen_ms, kT0 + 70000);
  EXPECT_EQ(tracker.counters().emitted, 2U);
}

TEST(PassTracker, StageHoldIsCheckedEvenWhenAdvanceRanLate) {
  PassTracker tracker(one_door());
  tracker.on_sighting(sight(kSscc, 1, kT0), kT0);
  ASSERT_EQ(tracker.advance(kT0 + 2000).size(), 1U);
  // No advance() between: the sighting 61 s later still starts a pass that is emitted.
  tracker.on_sighting(sight(kSscc, 1, kT0 + 61000), kT0 + 61000);
  EXPECT_EQ(tracker.advance(kT0 + 63000).size(), 1U);
  EXPECT_EQ(tracker.counters().staged, 0U);
}

TEST(PassTracker, LateAdvanceStillSplitsPassesAtTheGap) {
  PassTracker tracker(one_door());
  tracker.on_sighting(sight(kSscc, 1, kT0), kT0);
  tracker.on_sighting(sight(kSscc, 1, kT0 + 5000), kT0 + 5000);  // 5 s > pass_gap
  const auto passes = tracker.advance(kT0 + 8000);
  ASSERT_EQ(passes.size(), 1U);
  EXPECT_EQ(passes[0].last_seen_ms, kT0);
  EXPECT_EQ(tracker.counters().staged, 1U);
}

TEST(PassTracker, StagedTagSeenContinuouslyEmitsOnceNotAtEveryMaxPass) {
  PassTracker tracker(one_door());
  std::vector<Pass> all;
  for (std::int64_t t = 0; t <= 100000; t += 500) {
    tracker.on_sighting(sight(kSscc, 1, kT0 + t), kT0 + t);
    for (Pass& p : tracker.advance(kT0 + t)) all.push_back(std::move(p));
  }
  ASSERT_EQ(all.size(), 1U);
  EXPECT_EQ(all[0].first_seen_ms, kT0);
  EXPECT_GE(all[0].last_seen_ms, kT0 + 29500);
  EXPECT_LT(all[0].last_seen_ms, kT0 + 30000);
  EXPECT_EQ(tracker.counters().staged, 2U);  // max_pass at 60 s and 90 s
  EXPECT_TRUE(tracker.flush().empty());
  EXPECT_EQ(tracker.counters().staged, 3U);
}

TEST(PassTracker, MaxPassEmitsATagStillInRange) {
  PassSettings s = one_door();
  s.max_pass_ms = 10000;
  PassTracker tracker(s);
  tracker.on_sighting(sight(kSgtin, 1, kT0), kT0);
  EXPECT_EQ(tracker.next_deadline(), kT0 + 2000);
  std::vector<Pass> passes;
  std::int64_t ended_at = 0;
  for (std::int64_t t = 1000; t <= 12000 && passes.empty(); t += 1000) {
    passes = tracker.advance(kT0 + t);
    ended_at = t;
    tracker.on_sighting(sight(kSgtin, 1, kT0 + t), kT0 + t);
  }
  EXPECT_EQ(ended_at, 10000);  // seen every second, never a gap: ended by max_pass
  ASSERT_EQ(passes.size(), 1U);
  EXPECT_EQ(passes[0].first_seen_ms, kT0);
  EXPECT_EQ(passes[0].last_seen_ms, kT0 + 9000);
  EXPECT_EQ(passes[0].read_count, 10U);
  // The tag stays: the next pass is staged (already emitted), so max_pass does not repeat it.
  EXPECT_TRUE(tracker.advance(kT0 + 25000).empty());
  EXPECT_EQ(tracker.counters().staged, 1U);
}

TEST(PassTracker, OutsideThenInsideIsInboundInsideThenOutsideIsOutbound) {
  PassTracker tracker(portal());
  tracker.on_sighting(sight(kSscc, 1, kT0), kT0);
  tracker.on_sighting(sight(kSscc, 1, kT0 + 300), kT0 + 300);
  tracker.on_sighting(sight(kSscc, 2, kT0 + 600), kT0 + 600);
  auto in = tracker.advance(kT0 + 3000);
  ASSERT_EQ(in.size(), 1U);
  EXPECT_EQ(in[0].direction, Direction::inbound);
  EXPECT_EQ(in[0].location_id, "door-7");

  // Remembered, but a crossing still counts: the loading pass back out.
  tracker.on_sighting(sight(kSscc, 2, kT0 + 20000), kT0 + 20000);
  tracker.on_sighting(sight(kSscc, 1, kT0 + 20400), kT0 + 20400);
  auto out = tracker.advance(kT0 + 23000);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].direction, Direction::outbound);

  // Remembered and only the inside antenna: the pallet staged inside, no milestone.
  tracker.on_sighting(sight(kSscc, 2, kT0 + 30000), kT0 + 30000);
  EXPECT_TRUE(tracker.advance(kT0 + 33000).empty());
  EXPECT_EQ(tracker.counters().staged, 1U);
}

TEST(PassTracker, ReaderTimestampsNotArrivalOrderGiveTheDirection) {
  PassTracker tracker(portal());
  // The report of the inside antenna arrives first, but the outside one saw the tag earlier.
  tracker.on_sighting(sight(kSscc, 2, kT0 + 400), kT0 + 900);
  tracker.on_sighting(sight(kSscc, 1, kT0 + 100), kT0 + 950);
  auto passes = tracker.advance(kT0 + 5000);
  ASSERT_EQ(passes.size(), 1U);
  EXPECT_EQ(passes[0].direction, Direction::inbound);
  EXPECT_EQ(passes[0].first_seen_ms, kT0 + 100);
}

TEST(PassTracker, NoDirectionWithoutBothRoles) {
  PassSettings s;
  s.antennas = {{1, "door-1", AntennaRole::outside}, {2, "door-1", AntennaRole::any}};
  PassTracker tracker(s);
  tracker.on_sighting(sight(kSscc, 1, kT0), kT0);
  tracker.on_sighting(sight(kSscc, 2, kT0 + 500), kT0 + 500);
  auto passes = tracker.advance(kT0 + 5000);
  ASSERT_EQ(passes.size(), 1U);
  EXPECT_EQ(passes[0].direction, Direction::none);
}

TEST(PassTracker, TwoDoorsSeeingOneTagGiveOnePassEach) {
  PassSettings s;
  s.antennas = {{1, "door-1", AntennaRole::any}, {2, "door-2", AntennaRole::any}};
  PassTracker tracker(s);
  tracker.on_sighting(sight(kSscc, 2, kT0 + 50), kT0 + 50);
  tracker.on_sighting(sight(kSscc, 1, kT0), kT0 + 60);
  auto passes = tracker.advance(kT0 + 5000);
  ASSERT_EQ(passes.size(), 2U);
  EXPECT_EQ(passes[0].location_id, "door-1");  // first-seen order
  EXPECT_EQ(passes[1].location_id, "door-2");
}

TEST(PassTracker, RssiFloorIgnoresWeakSightings) {
  PassSettings s = one_door();
  s.rssi_min_dbm = -60;
  PassTracker tracker(s);
  tracker.on_sighting(sight(kSgtin, 1, kT0, -70), kT0);  // weak only: no pass
  tracker.on_sighting(sight(kSgtin, 1, kT0 + 100, -61), kT0 + 100);
  tracker.on_sighting(sight(kSscc, 1, kT0 + 200, -75), kT0 + 200);
  tracker.on_sighting(sight(kSscc, 3, kT0 + 300, -60), kT0 + 300);
  tracker.on_sighting(sight(kSscc, 4, kT0 + 400), kT0 + 400);  // no PeakRSSI: kept
  auto passes = tracker.advance(kT0 + 5000);
  ASSERT_EQ(passes.size(), 1U);
  EXPECT_EQ(passes[0].decoded.scheme, "sscc-96");
  EXPECT_EQ(passes[0].first_seen_ms, kT0 + 300);
  EXPECT_EQ(passes[0].read_count, 2U);
  EXPECT_EQ(passes[0].antenna_id, 3);
  EXPECT_EQ(tracker.counters().below_rssi, 3U);
}

TEST(PassTracker, AntennasOutsideTheMapAreIgnored) {
  PassSettings s;
  s.antennas = {{1, "door-1", AntennaRole::any}};
  PassTracker tracker(s);
  tracker.on_sighting(sight(kSscc, 5, kT0), kT0);
  tracker.on_sighting(sight(kSscc, 0, kT0), kT0);
  EXPECT_TRUE(tracker.advance(kT0 + 5000).empty());
  EXPECT_EQ(tracker.counters().ignored_antenna, 2U);
  EXPECT_EQ(tracker.tracked(), 0U);
  tracker.on_sighting(sight(kSscc, 1, kT0 + 6000), kT0 + 6000);
  EXPECT_EQ(tracker.advance(kT0 + 9000).size(), 1U);
}

TEST(PassTracker, SchemeFilterKeepsOnlyListedSchemes) {
  PassSettings s = one_door();
  s.schemes = {"sscc-96"};
  PassTracker tracker(s);
  for (std::int64_t i = 0; i < 5; ++i) {
    tracker.on_sighting(sight(kSgtin, 1, kT0 + i * 100), kT0 + i * 100);
    tracker.on_sighting(sight(kSscc, 1, kT0 + i * 100 + 10), kT0 + i * 100 + 10);
  }
  auto passes = tracker.advance(kT0 + 5000);
  ASSERT_EQ(passes.size(), 1U);
  EXPECT_EQ(passes[0].decoded.scheme, "sscc-96");
  EXPECT_EQ(tracker.counters().filtered_scheme, 1U);  // per pass, not per sighting
}

TEST(PassTracker, FilterValueFilterKeepsOnlyListedValues) {
  PassSettings s = one_door();
  s.filter_values = {2, 6};  // full case, unit load
  PassTracker tracker(s);
  tracker.on_sighting(sight(kSgtin, 1, kT0), kT0);  // filter 1 (POS item)
  tracker.on_sighting(sight(kSscc, 1, kT0), kT0);   // filter 6
  auto passes = tracker.advance(kT0 + 5000);
  ASSERT_EQ(passes.size(), 1U);
  EXPECT_EQ(passes[0].decoded.filter, 6);
  EXPECT_EQ(tracker.counters().filtered_value, 1U);
  // Filtered EPCs are not remembered: not tracked after their pass.
  EXPECT_EQ(tracker.tracked(), 1U);
}

TEST(PassTracker, UnknownEpcKeptAsRawByDefault) {
  PassSettings s = one_door();
  s.filter_values = {6};  // raw has no filter value: not filtered by value
  PassTracker tracker(s);
  tracker.on_sighting(sight(kRaw, 1, kT0), kT0);
  auto passes = tracker.advance(kT0 + 5000);
  ASSERT_EQ(passes.size(), 1U);
  EXPECT_EQ(passes[0].status, PassStatus::ok);
  EXPECT_EQ(passes[0].decoded.scheme, "raw");
  EXPECT_EQ(passes[0].decoded.tag_uri, "urn:epc:raw:96.xE2801160600002054E2B1C3A");
}

TEST(PassTracker, UnknownEpcRejectedIsReportedOncePerPass) {
  PassSettings s = one_door();
  s.unknown_epc = UnknownEpc::reject;
  PassTracker tracker(s);
  for (std::int64_t i = 0; i < 20; ++i)
    tracker.on_sighting(sight(kRaw, 1, kT0 + i * 50), kT0 + i * 50);
  tracker.on_sighting(sight(kSscc, 1, kT0 + 10), kT0 + 10);
  auto passes = tracker.advance(kT0 + 5000);
  ASSERT_EQ(passes.size(), 2U);
  EXPECT_EQ(passes[0].status, PassStatus::unknown_scheme);
  EXPECT_NE(passes[0].error.find("0xE2"), std::string::npos) << passes[0].error;
  EXPECT_EQ(passes[0].read_count, 20U);
  EXPECT_EQ(passes[1].status, PassStatus::ok);
  EXPECT_EQ(tracker.counters().rejected, 1U);
}

TEST(PassTracker, UndecodableEpcIsReportedWithTheError) {
  PassTracker tracker(one_door());
  tracker.on_sighting(sight(kBadPartition, 1, kT0), kT0);
  tracker.on_sighting(sight(kBadPartition, 1, kT0 + 100), kT0 + 100);
  auto passes = tracker.advance(kT0 + 5000);
  ASSERT_EQ(passes.size(), 1U);
  EXPECT_EQ(passes[0].status, PassStatus::invalid_epc);
  EXPECT_NE(passes[0].error.find("partition"), std::string::npos) << passes[0].error;
  EXPECT_EQ(passes[0].epc, bytes_of(kBadPartition));
  EXPECT_EQ(tracker.counters().rejected, 1U);
}

std::string sgtin_hex(int serial) {
  char tail[8];
  std::snprintf(tail, sizeof tail, "%06X", serial);
  return std::string(kSgtin.substr(0, 18)) + tail;  // last 24 of the 38 serial bits
}

TEST(PassTracker, TrackedTagsAreBoundedOldestSeenEvictedFirst) {
  PassSettings s = one_door();
  s.max_tags = 10;
  PassTracker tracker(s);
  for (int i = 0; i < 15; ++i) {
    tracker.on_sighting(sight(sgtin_hex(i), 1, kT0 + std::int64_t{10} * i),
                        kT0 + std::int64_t{10} * i);
    EXPECT_LE(tracker.tracked(), 10U);
  }
  EXPECT_EQ(tracker.counters().evicted, 5U);
  // The 5 oldest passes were ended (not lost) and wait for the next advance.
  EXPECT_EQ(tracker.next_deadline(), kT0 + 140);
  auto early = tracker.advance(kT0 + 150);
  ASSERT_EQ(early.size(), 5U);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(early[static_cast<std::size_t>(i)].first_seen_ms, kT0 + std::int64_t{10} * i);
  EXPECT_EQ(tracker.advance(kT0 + 5000).size(), 10U);
  EXPECT_EQ(tracker.counters().emitted, 15U);
}

TEST(PassTracker, FlushAtStopEmitsPassesInProgress) {
  PassTracker tracker(one_door());
  tracker.on_sighting(sight(kSscc, 1, kT0), kT0);
  tracker.on_sighting(sight(kSgtin, 1, kT0 + 5), kT0 + 5);
  EXPECT_TRUE(tracker.advance(kT0 + 100).empty());
  auto passes = tracker.flush();
  ASSERT_EQ(passes.size(), 2U);
  EXPECT_EQ(passes[0].decoded.scheme, "sscc-96");
  EXPECT_EQ(passes[1].decoded.scheme, "sgtin-96");
  EXPECT_TRUE(tracker.advance(kT0 + 60000).empty());
}

TEST(PassTracker, TwoHundredTagsThirtyTimesOnTwoAntennasAreTwoHundredPasses) {
  PassSettings s;
  s.antennas = {{1, "door-3", AntennaRole::any}, {2, "door-3", AntennaRole::any}};
  PassTracker tracker(s);
  std::vector<Pass> all;
  for (std::int64_t round = 0; round < 30; ++round) {
    const std::int64_t t = kT0 + round * 170;
    for (int tag = 0; tag < 200; ++tag) {
      tracker.on_sighting(
          sight(sgtin_hex(1000 + tag), static_cast<std::uint16_t>(1 + (tag + round) % 2), t, -50),
          t);
    }
    for (Pass& p : tracker.advance(t)) all.push_back(std::move(p));
  }
  for (Pass& p : tracker.advance(kT0 + 5100 + 2000)) all.push_back(std::move(p));
  ASSERT_EQ(all.size(), 200U);
  std::set<std::string> uris;
  for (const Pass& p : all) {
    EXPECT_EQ(p.read_count, 30U);
    EXPECT_EQ(p.location_id, "door-3");
    uris.insert(p.decoded.tag_uri);
  }
  EXPECT_EQ(uris.size(), 200U);
  EXPECT_EQ(tracker.counters().emitted, 200U);
}

TEST(PassTracker, RejectsUnusableSettings) {
  PassSettings s;  // no antennas, no default location
  EXPECT_THROW(PassTracker{s}, std::invalid_argument);
  s = portal();
  s.antennas.push_back({1, "door-8", AntennaRole::any});
  EXPECT_EQ(validate(s), "antenna 1 listed twice");
  s = one_door();
  s.filter_values = {8};
  EXPECT_EQ(validate(s), "filter value 8 is not 0..7");
  s = one_door();
  s.pass_gap_ms = 0;
  EXPECT_FALSE(validate(s).empty());
  EXPECT_EQ(validate(one_door()), "");
}

}  // namespace
}  // namespace dockgate::drivers::llrp

// SPDX-License-Identifier: Apache-2.0
// RFID tag passes through the scan pipeline: the same identifiers as barcodes, repeats
// keyed on the object (label + tag of one pallet = one milestone), the pass facts as
// dg: fields, and the travel direction at a door used both ways.
#include <gtest/gtest.h>

#include "agent/core/scan_pipeline.hpp"
#include "agent/core/tag_classifier.hpp"
#include "pipeline_fixture.hpp"

namespace dockgate {
namespace {

using test::finish;
using test::scan;
using test::test_settings;

constexpr std::int64_t kT0 = 1'763'712'765'120;          // 2025-11-21T08:12:45.120Z
const std::string kSscc96 = "31D4F4E4E4B2D05E2A000000";  // sscc-96:6.4012345.3000000042

ScanRead tag_pass(std::string location, std::string hex, std::int64_t first_ms = kT0,
                  Travel travel = Travel::unknown) {
  TagFacts t;
  t.epc_hex = hex;
  t.epc_bits = hex.size() * 4;
  t.antenna_id = 2;
  t.peak_rssi_dbm = -55;
  t.read_count = 30;
  t.first_seen_ms = first_ms;
  t.last_seen_ms = first_ms + 4'900;
  t.travel = travel;
  ScanRead r{"rfid-door-03", std::move(location), first_ms, "", hex};
  r.tag = t;
  return r;
}

PipelineSettings with_two_way_door() {
  PipelineSettings s = test_settings();
  s.doors.push_back({"door-12", epcis::Direction::both, "DOOR12"});
  return s;
}

TEST(TagPipeline, Sscc96PassIsTheSameMilestoneAsTheSsccLabel) {
  ScanPipeline p(test_settings());
  auto out = p.on_read(tag_pass("door-03", kSscc96));
  ASSERT_TRUE(out);
  ASSERT_EQ(out->kind, PipelineOutput::Kind::event);
  auto j = finish(*out);
  EXPECT_EQ(j["epcList"], nlohmann::json::array({"https://id.gs1.org/00/340123450000000420"}));
  EXPECT_EQ(j["bizStep"], "receiving");
  EXPECT_EQ(j["dg:milestone"], "warehouse_inbound");
  EXPECT_EQ(j["dg:source"], "rfid");
  EXPECT_EQ(j["dg:tagUri"], "urn:epc:tag:sscc-96:6.4012345.3000000042");
  EXPECT_EQ(j["dg:epcScheme"], "sscc-96");
  EXPECT_EQ(j["dg:antennaId"], 2);
  EXPECT_EQ(j["dg:peakRssi"], -55);
  EXPECT_EQ(j["dg:readCount"], 30);
  EXPECT_EQ(j["dg:firstSeen"], "2025-11-21T08:12:45.120Z");
  EXPECT_EQ(j["dg:lastSeen"], "2025-11-21T08:12:50.020Z");
  EXPECT_EQ(j["eventTime"], "2025-11-21T08:12:45.120Z");
  EXPECT_EQ(j["dg:rawData"], kSscc96);
  EXPECT_FALSE(j.contains("dg:symbologyId"));
  EXPECT_FALSE(j.contains("dg:travelDirection"));
}

TEST(TagPipeline, LabelScanThenTagOfTheSamePalletAtTheSameDoorIsOneMilestone) {
  ScanPipeline p(test_settings());
  ASSERT_TRUE(p.on_read(scan("door-03", "]C1", "00340123450000000420", kT0 + 1'000)));
  // The tag pass ends later but started earlier (first sighting): still a repeat.
  EXPECT_FALSE(p.on_read(tag_pass("door-03", kSscc96, kT0)));
  // ...and the other way round at another door.
  ASSERT_TRUE(p.on_read(tag_pass("door-07", kSscc96, kT0 + 60'000)));
  EXPECT_FALSE(p.on_read(scan("door-07", "]C1", "00340123450000000420", kT0 + 61'000)));
  EXPECT_EQ(p.dedup().suppressed_total(), 2U);
}

TEST(TagPipeline, TheSameTagOutsideTheWindowIsANewMilestone) {
  ScanPipeline p(test_settings());
  ASSERT_TRUE(p.on_read(tag_pass("door-03", kSscc96, kT0)));
  EXPECT_TRUE(p.on_read(tag_pass("door-03", kSscc96, kT0 + 6'000)));
}

TEST(TagPipeline, SgtinTagGivesTheSerialisedGtinDigitalLink) {
  ScanPipeline p(test_settings());
  auto out = p.on_read(tag_pass("door-07", "3034F4E4E40AD9C000002694"));
  ASSERT_TRUE(out);
  auto j = finish(*out);
  EXPECT_EQ(j["epcList"][0], "https://id.gs1.org/01/04012345111118/21/9876");
  EXPECT_EQ(j["bizStep"], "loading");
  EXPECT_EQ(j["dg:epcScheme"], "sgtin-96");
}

TEST(TagPipeline, LocationAndUnknownTagsKeepTheirOwnIdentifiers) {
  ScanPipeline p(test_settings());
  auto sgln = p.on_read(tag_pass("door-03", "3914F4E4E40003127CFA4C1980000000000000000000000000"));
  ASSERT_TRUE(sgln);
  EXPECT_EQ(finish(*sgln)["epcList"][0], "https://id.gs1.org/414/4012345000016/254/DOOR03");
  auto raw = p.on_read(tag_pass("door-03", "E2801160600002054C2F2B3A"));
  ASSERT_TRUE(raw);
  auto j = finish(*raw);
  EXPECT_EQ(j["epcList"][0], "urn:epc:raw:96.xE2801160600002054C2F2B3A");
  EXPECT_EQ(j["dg:epcScheme"], "raw");
}

TEST(TagPipeline, UndecodableEpcIsAnInvalidEpcException) {
  ScanPipeline p(test_settings());
  // SSCC-96 header with partition 7 (undefined).
  auto out = p.on_read(tag_pass("door-03", "31FCF4E4E4B2D05E2A000000"));
  ASSERT_TRUE(out);
  ASSERT_EQ(out->kind, PipelineOutput::Kind::exception);
  auto j = finish(*out);
  EXPECT_EQ(j["type"], "invalid_epc");
  EXPECT_NE(j["reason"].get<std::string>().find("partition"), std::string::npos) << j.dump();
  EXPECT_EQ(p.counters().invalid, 1U);
}

TEST(TagPipeline, TwoWayDoorTakesTheDirectionTheTagTravelled) {
  ScanPipeline p(with_two_way_door());
  auto in = finish(*p.on_read(tag_pass("door-12", kSscc96, kT0, Travel::inbound)));
  EXPECT_EQ(in["bizStep"], "receiving");
  EXPECT_EQ(in["dg:milestone"], "warehouse_inbound");
  EXPECT_EQ(in["dg:travelDirection"], "inbound");
  auto out = finish(*p.on_read(tag_pass("door-12", kSscc96, kT0 + 600'000, Travel::outbound)));
  EXPECT_EQ(out["bizStep"], "loading");
  EXPECT_EQ(out["dg:milestone"], "warehouse_outbound");
  // No direction (a barcode, or a tag seen from one side): no bizStep, door_passed.
  auto scanned = finish(*p.on_read(scan("door-12", "]C1", "00340123450000000437", kT0)));
  EXPECT_FALSE(scanned.contains("bizStep"));
  EXPECT_EQ(scanned["dg:milestone"], "door_passed");
}

TEST(TagPipeline, OneWayDoorKeepsItsMilestoneAndRecordsTheTravel) {
  ScanPipeline p(test_settings());
  auto j = finish(*p.on_read(tag_pass("door-03", kSscc96, kT0, Travel::outbound)));
  EXPECT_EQ(j["bizStep"], "receiving");
  EXPECT_EQ(j["dg:travelDirection"], "outbound");
}

TEST(TagPipeline, IdentityKeyIsTheEpcListOrTheRawBytes) {
  Classified label =
      classify_scan("]C1", "00340123450000000420", SitePatterns({}), "4012345000016");
  TagFacts t;
  t.epc_hex = kSscc96;
  Classified tag = classify_tag(t, "4012345000016");
  EXPECT_EQ(identity_key(label, "a"), identity_key(tag, "b"));
  Classified bad = classify_scan("]C1", "00123", SitePatterns({}), "4012345000016");
  EXPECT_EQ(identity_key(bad, "00123"), "00123");
}

}  // namespace
}  // namespace dockgate

// SPDX-License-Identifier: Apache-2.0
// Door labels and roaming scanners: a GS1 location label (AI 414 + 254) moves a handheld's
// reads to that door; valid GS1 data that names no object is `no_object_identifier`, not
// `invalid_barcode`.
#include <gtest/gtest.h>

#include "agent/core/scan_classifier.hpp"
#include "agent/core/scan_pipeline.hpp"
#include "pipeline_fixture.hpp"

namespace dockgate {
namespace {

using test::finish;
using test::scan;
using test::test_settings;

constexpr std::int64_t kT0 = 1'763'712'765'120;
const SitePatterns kNoPatterns({});

TEST(LocationLabel, ElementStringAndDigitalLinkAreLocationsNotObjects) {
  for (const auto& [aim, data] : std::vector<std::pair<std::string, std::string>>{
           {"]C1", "4144012345000016254DOOR03"},
           {"]d2", "4144012345000016254DOOR03"},
           {"]Q1", "https://id.gs1.org/414/4012345000016/254/DOOR03"},
           {"", "4144012345000016254DOOR03"}}) {
    const Classified c = classify_scan(aim, data, kNoPatterns, "4012345000016");
    ASSERT_TRUE(c.location) << aim << " " << data << ": " << c.error;
    EXPECT_FALSE(c.id);
    EXPECT_EQ(c.location->gln, "4012345000016");
    EXPECT_EQ(c.location->extension, "DOOR03");
  }
  const Classified bare = classify_scan("]C1", "4144012345000016", kNoPatterns, "4012345000016");
  ASSERT_TRUE(bare.location);
  EXPECT_EQ(bare.location->extension, "");
}

TEST(LocationLabel, ValidGs1WithoutAnObjectHasItsOwnKind) {
  for (const auto& [aim, data] : std::vector<std::pair<std::string, std::string>>{
           {"]C1", "10LOT42"}, {"]C1", "17261231"}, {"", "10LOT42"}}) {
    const Classified c = classify_scan(aim, data, kNoPatterns, "4012345000016");
    EXPECT_FALSE(c.id);
    EXPECT_FALSE(c.location);
    EXPECT_EQ(c.error_kind, "no_object_identifier") << aim << data << ": " << c.error;
    EXPECT_NE(c.error.find("no object identifier"), std::string::npos) << c.error;
  }
  // Bad data stays invalid_barcode: a wrong check digit, a non-GS1 text.
  EXPECT_EQ(classify_scan("]C1", "00340123450000000421", kNoPatterns, "4012345000016").error_kind,
            "invalid_barcode");
  EXPECT_EQ(classify_scan("", "hello", kNoPatterns, "4012345000016").error_kind, "invalid_barcode");
}

TEST(LocationLabel, HandheldReadsCountAtTheDoorWhoseLabelItScanned) {
  ScanPipeline p(test_settings());
  // The handheld is configured at door-03 (inbound); the worker scans door 7's label.
  EXPECT_FALSE(p.on_read(scan("door-03", "]C1", "4144012345000016254DOOR07", kT0)));
  EXPECT_EQ(p.counters().location_scans, 1U);
  auto place = p.scanner_place("drv-1", kT0);
  ASSERT_TRUE(place);
  EXPECT_EQ(place->location_id, "door-07");

  auto out = p.on_read(scan("door-03", "]C1", "00340123450000000420", kT0 + 1000));
  ASSERT_TRUE(out);
  auto j = finish(*out);
  EXPECT_EQ(j["bizStep"], "loading") << "door-07 is outbound";
  EXPECT_EQ(j["readPoint"]["id"], "https://id.gs1.org/414/4012345000016/254/DOOR07");
  EXPECT_EQ(j["dg:locationId"], "door-07");
  EXPECT_EQ(out->location_id, "door-07");

  // Another scanner is not moved.
  ScanRead other = scan("door-03", "]C1", "00340123450000000437", kT0 + 2000);
  other.driver_id = "drv-2";
  EXPECT_EQ(finish(*p.on_read(other))["dg:locationId"], "door-03");

  // The Digital Link form of door 3's label moves it back.
  EXPECT_FALSE(p.on_read(
      scan("door-03", "]Q1", "https://id.gs1.org/414/4012345000016/254/DOOR03", kT0 + 3000)));
  EXPECT_EQ(finish(*p.on_read(
                scan("door-03", "]C1", "00340123450000000444", kT0 + 4000)))["dg:locationId"],
            "door-03");
}

TEST(LocationLabel, TheMoveExpiresAfterTheTimeout) {
  PipelineSettings s = test_settings();
  s.location_label_timeout = std::chrono::minutes(10);
  ScanPipeline p(s);
  EXPECT_FALSE(p.on_read(scan("door-03", "]C1", "4144012345000016254DOOR07", kT0)));
  EXPECT_EQ(finish(*p.on_read(
                scan("door-03", "]C1", "00340123450000000420", kT0 + 599'000)))["dg:locationId"],
            "door-07");
  EXPECT_EQ(finish(*p.on_read(
                scan("door-03", "]C1", "00340123450000000437", kT0 + 601'000)))["dg:locationId"],
            "door-03");
  EXPECT_FALSE(p.scanner_place("drv-1", kT0 + 601'000));
}

TEST(LocationLabel, UnknownDoorOrForeignSiteIsAnExceptionAndTheScannerStays) {
  ScanPipeline p(test_settings());
  for (const std::string& label :
       {std::string("4144012345000016254DOOR99"), std::string("4149999999000003254DOOR07"),
        std::string("4144012345000016")}) {
    auto out = p.on_read(scan("door-03", "]C1", label, kT0));
    ASSERT_TRUE(out) << label;
    EXPECT_EQ(out->kind, PipelineOutput::Kind::exception);
    EXPECT_EQ(out->exception_type, "unknown_location_label") << label;
    auto j = finish(*out);
    EXPECT_NE(j["reason"].get<std::string>().find("names no dock door"), std::string::npos)
        << j.dump();
  }
  EXPECT_EQ(p.counters().location_scans, 0U);
  EXPECT_FALSE(p.scanner_place("drv-1", kT0));
  EXPECT_EQ(
      finish(*p.on_read(scan("door-03", "]C1", "00340123450000000420", kT0 + 1)))["dg:locationId"],
      "door-03");
}

TEST(LocationLabel, ValidDataWithoutAnObjectIsNoObjectIdentifierNotInvalidBarcode) {
  ScanPipeline p(test_settings());
  auto out = p.on_read(scan("door-03", "]C1", "10LOT42", kT0));
  ASSERT_TRUE(out);
  EXPECT_EQ(out->exception_type, "no_object_identifier");
  EXPECT_EQ(finish(*out)["type"], "no_object_identifier");
}

TEST(LocationLabel, RfidPassesKeepTheirAntennasDoor) {
  ScanPipeline p(test_settings());
  ScanRead label = scan("door-03", "]C1", "4144012345000016254DOOR07", kT0);
  label.driver_id = "rfid-door-03";
  EXPECT_FALSE(p.on_read(label));  // a door label under the RFID driver's own id
  ScanRead tag{"rfid-door-03", "door-03", kT0 + 1000, "", "31D4F4E4E4B2D05E2A000000"};
  TagFacts f;
  f.epc_hex = tag.data;
  f.epc_bits = 96;
  f.first_seen_ms = tag.time_ms;
  f.last_seen_ms = tag.time_ms;
  tag.tag = f;
  EXPECT_EQ(finish(*p.on_read(tag))["dg:locationId"], "door-03");
}

}  // namespace
}  // namespace dockgate

// SPDX-License-Identifier: Apache-2.0
#include "agent/core/scan_pipeline.hpp"

#include <gtest/gtest.h>

#include "pipeline_fixture.hpp"

namespace dockgate {
namespace {

using test::finish;
using test::scan;
using test::test_settings;

const std::string kGS = "\x1d";

TEST(ScanPipeline, SsccAtInboundDoorIsReceivingEvent) {
  ScanPipeline p(test_settings());
  auto out = p.on_read(scan("door-03", "]C1", "00340123450000000420"));
  ASSERT_TRUE(out);
  ASSERT_EQ(out->kind, PipelineOutput::Kind::event);
  auto j = finish(*out, 12);
  EXPECT_EQ(j["type"], "ObjectEvent");
  EXPECT_EQ(j["action"], "OBSERVE");
  EXPECT_EQ(j["bizStep"], "receiving");
  EXPECT_EQ(j["disposition"], "in_progress");
  EXPECT_EQ(j["epcList"], nlohmann::json::array({"https://id.gs1.org/00/340123450000000420"}));
  EXPECT_EQ(j["readPoint"]["id"], "https://id.gs1.org/414/4012345000016/254/DOOR03");
  EXPECT_EQ(j["bizLocation"]["id"], "https://id.gs1.org/414/4012345000016");
  EXPECT_EQ(j["eventTime"], "2025-11-21T08:12:45.120Z");
  EXPECT_EQ(j["eventTimeZoneOffset"], "+01:00");
  EXPECT_EQ(j["dg:milestone"], "warehouse_inbound");
  EXPECT_EQ(j["dg:gatewayId"], "gw-01");
  EXPECT_EQ(j["dg:driverId"], "drv-1");
  EXPECT_EQ(j["dg:gatewaySeq"], 12);
  EXPECT_EQ(j["dg:rawData"], "00340123450000000420");
  EXPECT_EQ(j["dg:symbologyId"], "]C1");
  EXPECT_TRUE(j["eventID"].get<std::string>().starts_with("urn:uuid:"));
  EXPECT_FALSE(j.contains("quantityList"));
}

TEST(ScanPipeline, GtinSerialAtOutboundDoorIsLoadingWithSgtin) {
  ScanPipeline p(test_settings());
  auto out = p.on_read(scan("door-07", "]d2",
                            "0104012345111118"
                            "10LOT7" +
                                kGS + "219876"));
  ASSERT_TRUE(out);
  auto j = finish(*out);
  EXPECT_EQ(j["bizStep"], "loading");
  EXPECT_EQ(j["dg:milestone"], "warehouse_outbound");
  EXPECT_EQ(j["epcList"][0], "https://id.gs1.org/01/04012345111118/21/9876");
  EXPECT_EQ(j["readPoint"]["id"], "https://id.gs1.org/414/4012345000016/254/DOOR07");
  EXPECT_EQ(j["dg:rawData"],
            "0104012345111118"
            "10LOT7\x1d"
            "219876");
}

TEST(ScanPipeline, GtinWithoutSerialIsQuantityWithCount) {
  ScanPipeline p(test_settings());
  auto out = p.on_read(scan("door-03", "]C1",
                            "0104012345111118"
                            "10LOT7" +
                                kGS + "3712"));
  ASSERT_TRUE(out);
  auto j = finish(*out);
  EXPECT_FALSE(j.contains("epcList"));
  ASSERT_EQ(j["quantityList"].size(), 1U);
  EXPECT_EQ(j["quantityList"][0]["epcClass"], "https://id.gs1.org/01/04012345111118/10/LOT7");
  EXPECT_EQ(j["quantityList"][0]["quantity"], 12);
}

TEST(ScanPipeline, OrderNumberAndShipToGoToTransactionsAndDestination) {
  ScanPipeline p(test_settings());
  auto out = p.on_read(scan("door-07", "]C1",
                            "00340123450000000420"
                            "400PO-4711" +
                                kGS + "4104012345000016"));
  ASSERT_TRUE(out);
  auto j = finish(*out);
  ASSERT_EQ(j["bizTransactionList"].size(), 1U);
  EXPECT_EQ(j["bizTransactionList"][0]["type"], "po");
  EXPECT_EQ(j["bizTransactionList"][0]["bizTransaction"],
            "urn:epcglobal:cbv:bt:4012345000016:PO-4711");
  EXPECT_EQ(j["destinationList"][0]["type"], "location");
  EXPECT_EQ(j["destinationList"][0]["destination"], "https://id.gs1.org/414/4012345000016");
}

TEST(ScanPipeline, DigitalLinkQrOnAnyHost) {
  ScanPipeline p(test_settings());
  auto out =
      p.on_read(scan("door-03", "]Q1", "https://labels.example.com/01/04012345111118/21/ABC42"));
  ASSERT_TRUE(out);
  ASSERT_EQ(out->kind, PipelineOutput::Kind::event);
  auto j = finish(*out);
  EXPECT_EQ(j["epcList"][0], "https://id.gs1.org/01/04012345111118/21/ABC42");
  EXPECT_EQ(j["dg:source"], "digital_link");
}

TEST(ScanPipeline, BadCheckDigitBecomesInvalidBarcodeException) {
  ScanPipeline p(test_settings());
  auto out = p.on_read(scan("door-03", "]C1", "00340123450000000421"));
  ASSERT_TRUE(out);
  ASSERT_EQ(out->kind, PipelineOutput::Kind::exception);
  auto j = finish(*out, 3);
  EXPECT_EQ(j["type"], "invalid_barcode");
  EXPECT_NE(j["reason"].get<std::string>().find("00"), std::string::npos) << j["reason"];
  EXPECT_NE(j["reason"].get<std::string>().find("check digit"), std::string::npos) << j["reason"];
  EXPECT_EQ(j["rawDataBase64"], "MDAzNDAxMjM0NTAwMDAwMDA0MjE=");
  EXPECT_EQ(j["locationId"], "door-03");
  EXPECT_EQ(j["driverId"], "drv-1");
  EXPECT_EQ(j["gatewaySeq"], 3);
  EXPECT_EQ(p.counters().invalid, 1U);
}

TEST(ScanPipeline, GarbageBytesAreNeverDropped) {
  ScanPipeline p(test_settings());
  const std::string garbage("\xff\xfe\x01zz\x80", 6);
  auto out = p.on_read(scan("door-03", "", garbage));
  ASSERT_TRUE(out);
  EXPECT_EQ(out->kind, PipelineOutput::Kind::exception);
  auto j = finish(*out);
  EXPECT_EQ(j["rawDataBase64"], "//4BenqA");
  EXPECT_FALSE(j["reason"].get<std::string>().empty());
}

TEST(ScanPipeline, SitePatternAcceptsLicensePlate) {
  ScanPipeline p(test_settings());
  auto out = p.on_read(scan("door-03", "]C0", "LP00012345"));
  ASSERT_TRUE(out);
  ASSERT_EQ(out->kind, PipelineOutput::Kind::event);
  auto j = finish(*out);
  EXPECT_EQ(j["epcList"][0], "urn:dockgate:lp:00012345");
  EXPECT_EQ(j["dg:source"], "pattern:license_plate");
}

TEST(ScanPipeline, RepeatWithinWindowSuppressedAndCounted) {
  ScanPipeline p(test_settings());
  const std::int64_t t0 = 1'000'000;
  EXPECT_TRUE(p.on_read(scan("door-03", "]C1", "00340123450000000420", t0)));
  EXPECT_FALSE(p.on_read(scan("door-03", "]C1", "00340123450000000420", t0 + 1000)));
  // Same code at another door is a different milestone.
  EXPECT_TRUE(p.on_read(scan("door-07", "]C1", "00340123450000000420", t0 + 1500)));
  EXPECT_EQ(p.dedup().suppressed_total(), 1U);
  EXPECT_EQ(p.dedup().suppressed_by_location().at("door-03"), 1U);
  EXPECT_EQ(p.counters().reads, 3U);
  EXPECT_EQ(p.counters().events, 2U);
}

TEST(ScanPipeline, UnknownLocationIsAnException) {
  ScanPipeline p(test_settings());
  auto out = p.on_read(scan("door-99", "]C1", "00340123450000000420"));
  ASSERT_TRUE(out);
  EXPECT_EQ(out->kind, PipelineOutput::Kind::exception);
  EXPECT_EQ(finish(*out)["type"], "unknown_location");
}

TEST(ScanPipeline, ReadErrorAndDeviceStatusBecomeExceptions) {
  ScanPipeline p(test_settings());
  auto e = p.on_read_error(
      {"drv-1", "door-03", 5000, "frame_too_long", "frame over 4096 bytes", "0034012345", {}});
  auto j = finish(e);
  EXPECT_EQ(j["type"], "frame_too_long");
  EXPECT_EQ(j["reason"], "frame over 4096 bytes");
  auto d = finish(p.on_device_status({"drv-1", "door-03", 6000, false, "/dev/ttyUSB0: EOF"}));
  EXPECT_EQ(d["type"], "device_down");
  EXPECT_EQ(d["readPoint"], "https://id.gs1.org/414/4012345000016/254/DOOR03");
  EXPECT_FALSE(d.contains("rawDataBase64"));
}

TEST(ScanPipeline, EventIdsAreUniqueAndTimeOrdered) {
  ScanPipeline p(test_settings());
  std::string last;
  for (int i = 0; i < 50; ++i) {
    auto out = p.on_read(scan("door-03", "]C1", "00340123450000000420", 1000 + i * 6000));
    ASSERT_TRUE(out);
    auto id = finish(*out)["eventID"].get<std::string>();
    EXPECT_GT(id, last);
    last = id;
  }
}

}  // namespace
}  // namespace dockgate

// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "agent/core/time_format.hpp"
#include "agent/epcis/document.hpp"
#include "agent/epcis/object_event.hpp"

namespace dockgate {
namespace {

TEST(TimeFormat, UtcMillisAndOffsets) {
  EXPECT_EQ(format_utc_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_utc_ms(1'741'939'965'120), "2025-03-14T08:12:45.120Z");
  EXPECT_EQ(format_tz_offset(60), "+01:00");
  EXPECT_EQ(format_tz_offset(-330), "-05:30");
  EXPECT_EQ(format_tz_offset(0), "+00:00");
  int m = 0;
  EXPECT_TRUE(parse_tz_offset("-05:30", m));
  EXPECT_EQ(m, -330);
  EXPECT_FALSE(parse_tz_offset("+1:00", m));
  EXPECT_FALSE(parse_tz_offset("+25:00", m));
}

TEST(EpcisDocument, WrapsEventsInOrderWithContext) {
  const std::string a = epcis::close_with_seq(R"({"type":"ObjectEvent","n":1)", "dg:gatewaySeq", 1);
  const std::string b = epcis::close_with_seq(R"({"type":"ObjectEvent","n":2)", "dg:gatewaySeq", 2);
  const std::string* events[] = {&a, &b};
  auto doc = nlohmann::json::parse(epcis::make_document(events, 0));
  EXPECT_EQ(doc["type"], "EPCISDocument");
  EXPECT_EQ(doc["schemaVersion"], "2.0");
  EXPECT_EQ(doc["@context"][0], epcis::kEpcisContext);
  EXPECT_EQ(doc["@context"][1]["dg"], epcis::kDockgateNamespace);
  EXPECT_EQ(doc["creationDate"], "1970-01-01T00:00:00.000Z");
  ASSERT_EQ(doc["epcisBody"]["eventList"].size(), 2U);
  EXPECT_EQ(doc["epcisBody"]["eventList"][0]["dg:gatewaySeq"], 1);
  EXPECT_EQ(doc["epcisBody"]["eventList"][1]["n"], 2);
}

TEST(EpcisObjectEvent, NonAsciiRawDataIsBase64) {
  epcis::ScanContext ctx;
  ctx.site_gln = "4012345000016";
  ctx.gln_extension = "DOOR03";
  ctx.raw_data = "LP\xc3";
  Identification id;
  id.epcs = {"urn:x:1"};
  auto j = nlohmann::json::parse(epcis::close_with_seq(epcis::object_event_open(ctx, id), "s", 1));
  EXPECT_FALSE(j.contains("dg:rawData"));
  EXPECT_EQ(j["dg:rawDataBase64"], "TFDD");
}

}  // namespace
}  // namespace dockgate

// SPDX-License-Identifier: Apache-2.0
// Dock plans in: parse_plan accepts a valid plan and rejects each bad one with a reason that
// names the field; RFC 3339 times.
#include "agent/plans/plan.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "agent/plans/rfc3339.hpp"

namespace dockgate::plans {
namespace {

using Json = nlohmann::json;

Json valid_plan() {
  return Json::parse(R"({
    "planId": "PLAN-2026-12-05-0042", "revision": 3, "status": "active",
    "direction": "outbound", "doors": ["door-07", "door-08"], "transportId": "LP00012345",
    "plannedArrival": "2026-12-05T14:00:00+01:00", "plannedDeparture": "2026-12-05T15:30:00Z",
    "shipFrom": "4012345000016", "shipTo": "4098765000010",
    "despatchAdviceNumber": "DESADV-778899",
    "units": {"ssccs": ["340123450000000420", "340123450000000437"],
              "lines": [{"gtin": "04012345111118", "quantity": 12}]}})");
}

TEST(Rfc3339, ZonesFractionsAndBadDates) {
  EXPECT_EQ(parse_rfc3339_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_rfc3339_ms("2026-12-05T14:30:00Z"), 1'796'481'000'000);
  EXPECT_EQ(parse_rfc3339_ms("2026-12-05T15:30:00.25+01:00"), 1'796'481'000'250);
  EXPECT_EQ(parse_rfc3339_ms("2026-12-05T09:30:00.123456-05:00"), 1'796'481'000'123);
  EXPECT_EQ(parse_rfc3339_ms("2024-02-29T00:00:00Z"), 1'709'164'800'000);
  for (const char* bad : {"2026-12-05T14:30:00", "2026-12-05 14:30:00Z", "2025-02-29T00:00:00Z",
                          "2026-13-01T00:00:00Z", "2026-12-05T24:00:00Z", "2026-12-05T14:30:00.Z",
                          "2026-12-05T14:30:00+0100", "2026-12-05T14:30:00Zjunk", ""}) {
    EXPECT_FALSE(parse_rfc3339_ms(bad)) << bad;
  }
}

TEST(PlanParse, ValidPlanHasEveryField) {
  const PlanParse r = parse_plan(valid_plan().dump(), "PLAN-2026-12-05-0042");
  ASSERT_TRUE(r.plan) << r.error;
  const DockPlan& p = *r.plan;
  EXPECT_EQ(p.revision, 3U);
  EXPECT_EQ(p.direction, PlanDirection::outbound);
  EXPECT_EQ(p.doors, (std::vector<std::string>{"door-07", "door-08"}));
  EXPECT_EQ(p.transport_id, "LP00012345");
  EXPECT_EQ(p.planned_arrival_ms, 1'796'475'600'000);
  EXPECT_EQ(p.planned_departure_ms, 1'796'484'600'000);
  EXPECT_EQ(p.ship_to, "4098765000010");
  EXPECT_EQ(p.despatch_advice_number, "DESADV-778899");
  EXPECT_EQ(p.ssccs.size(), 2U);
  ASSERT_EQ(p.lines.size(), 1U);
  EXPECT_EQ(p.lines[0].quantity, 12U);
  EXPECT_FALSE(r.cancelled);
}

TEST(PlanParse, CancellationNeedsOnlyIdRevisionAndStatus) {
  const PlanParse r = parse_plan(R"({"planId": "P1", "revision": 4, "status": "cancelled"})");
  EXPECT_TRUE(r.cancelled);
  EXPECT_FALSE(r.plan);
  EXPECT_EQ(r.plan_id, "P1");
  EXPECT_EQ(r.revision, 4U);
  EXPECT_EQ(r.error, "");
}

TEST(PlanParse, EveryRejectionNamesTheField) {
  struct Case {
    const char* what;
    std::function<void(Json&)> change;
    const char* error_starts;
  };
  const std::vector<Case> cases = {
      {"unknown field", [](Json& j) { j["carrier"] = "DHL"; }, "carrier: unknown field"},
      {"no planId", [](Json& j) { j.erase("planId"); }, "planId: required"},
      {"bad planId", [](Json& j) { j["planId"] = "a/b"; }, "planId: only"},
      {"no revision", [](Json& j) { j.erase("revision"); }, "revision: required"},
      {"negative revision", [](Json& j) { j["revision"] = -1; }, "revision:"},
      {"bad status", [](Json& j) { j["status"] = "paused"; }, "status:"},
      {"bad direction", [](Json& j) { j["direction"] = "both"; }, "direction:"},
      {"no doors", [](Json& j) { j["doors"] = Json::array(); }, "doors: required"},
      {"door not a string", [](Json& j) { j["doors"] = {7}; }, "doors[0]:"},
      {"time without zone", [](Json& j) { j["plannedArrival"] = "2026-12-05T14:00:00"; },
       "plannedArrival:"},
      {"departure before arrival", [](Json& j) { j["plannedDeparture"] = "2026-12-05T12:00:00Z"; },
       "plannedDeparture: before"},
      {"bad GLN check digit", [](Json& j) { j["shipTo"] = "4098765000011"; }, "shipTo: GLN"},
      {"short GLN", [](Json& j) { j["shipFrom"] = "401234500001"; }, "shipFrom: GLN must be 13"},
      {"no units", [](Json& j) { j.erase("units"); }, "units: required"},
      {"empty units", [](Json& j) { j["units"] = Json::object(); }, "units: a plan expects"},
      {"unknown units field", [](Json& j) { j["units"]["pallets"] = 3; }, "units.pallets:"},
      {"bad SSCC check digit", [](Json& j) { j["units"]["ssccs"][1] = "340123450000000438"; },
       "units.ssccs[1]: SSCC '340123450000000438': check digit is 8, expected 7"},
      {"SSCC twice", [](Json& j) { j["units"]["ssccs"][1] = "340123450000000420"; },
       "units.ssccs[1]: SSCC 340123450000000420 is listed twice"},
      {"SSCC as a number", [](Json& j) { j["units"]["ssccs"][0] = 340123450000000420LL; },
       "units.ssccs[0]:"},
      {"bad GTIN", [](Json& j) { j["units"]["lines"][0]["gtin"] = "04012345111119"; },
       "units.lines[0]: GTIN"},
      {"zero quantity", [](Json& j) { j["units"]["lines"][0]["quantity"] = 0; },
       "units.lines[0].quantity:"},
      {"unknown line field", [](Json& j) { j["units"]["lines"][0]["lot"] = "L1"; },
       "units.lines[0].lot: unknown field"},
  };
  for (const auto& c : cases) {
    Json j = valid_plan();
    c.change(j);
    const PlanParse r = parse_plan(j.dump());
    EXPECT_FALSE(r.plan) << c.what;
    EXPECT_TRUE(r.error.starts_with(c.error_starts)) << c.what << ": " << r.error;
  }
  EXPECT_EQ(parse_plan("{not json").error, "not valid JSON");
  EXPECT_EQ(parse_plan("[1,2]").error, "a plan must be a JSON object");
  EXPECT_TRUE(parse_plan(valid_plan().dump(), "OTHER").error.starts_with("planId 'PLAN-"));
}

TEST(PlanParse, SizeIsBounded) {
  Json j = valid_plan();
  j["units"]["ssccs"] = Json::array();
  for (std::size_t i = 0; i <= kMaxPlanUnits; ++i) {
    std::string body =
        "34012345" + std::string(9 - std::to_string(i).size(), '0') + std::to_string(i);
    j["units"]["ssccs"].push_back(body + static_cast<char>('0' + 0));
  }
  // Fix the check digits so that only the count is wrong.
  for (auto& s : j["units"]["ssccs"]) {
    std::string v = s.get<std::string>().substr(0, 17);
    int sum = 0;
    for (std::size_t k = 0; k < 17; ++k) sum += (v[k] - '0') * ((17 - k) % 2 == 1 ? 3 : 1);
    s = v + static_cast<char>('0' + (10 - sum % 10) % 10);
  }
  const PlanParse r = parse_plan(j.dump());
  EXPECT_FALSE(r.plan);
  EXPECT_NE(r.error.find("at most 10000 per plan"), std::string::npos) << r.error;
  EXPECT_NE(parse_plan(std::string(kMaxPlanBytes + 1, ' ')).error.find("at most"),
            std::string::npos);
}

}  // namespace
}  // namespace dockgate::plans

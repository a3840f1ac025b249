// SPDX-License-Identifier: Apache-2.0
// Planned vs actual at the door: the plan checks wired as in the agent (ScanPipeline ->
// PlanChecks -> DockSessions, the sessions reporting visits back), every verdict and
// exception kind, revisions and withdrawals mid-visit, two doors sharing a plan, overlapping
// windows, timers, and a restart from the saved plans and state.
#include "agent/plans/plan_checks.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "agent/dock/dock_sessions.hpp"
#include "pipeline_fixture.hpp"

namespace dockgate::plans {
namespace {

using Json = nlohmann::json;

constexpr std::int64_t kT0 = 1'796'481'000'000;  // 2026-12-05T14:30:00Z
constexpr std::int64_t kMin = 60'000;

std::string check_digit_of(const std::string& body) {
  int sum = 0;
  int w = 3;
  for (auto it = body.rbegin(); it != body.rend(); ++it, w = 4 - w) sum += (*it - '0') * w;
  return std::string(1, static_cast<char>('0' + (10 - sum % 10) % 10));
}
std::string sscc(unsigned n) {
  char body[18];
  std::snprintf(body, sizeof body, "34012345%09u", n);
  return std::string(body) + check_digit_of(body);
}
const std::string kGtin = "04012345111118";

PipelineSettings settings() {
  PipelineSettings s = test::test_settings();
  s.doors.push_back({"door-08", epcis::Direction::outbound, "DOOR08"});
  s.doors.push_back({"door-09", epcis::Direction::outbound, "DOOR09"});
  s.dedup_window = std::chrono::milliseconds(0);
  return s;
}

// A plan document: outbound at `doors`, SSCCs n..n+count-1, optional window and GTIN line.
Json plan(const std::string& id, std::vector<std::string> doors, unsigned first, unsigned count,
          std::uint32_t revision = 1) {
  Json units = Json::object();
  Json ssccs = Json::array();
  for (unsigned i = 0; i < count; ++i) ssccs.push_back(sscc(first + i));
  if (count > 0) units["ssccs"] = ssccs;
  return Json{{"planId", id},
              {"revision", revision},
              {"direction", "outbound"},
              {"doors", doors},
              {"units", units}};
}

class PlanDoors : public ::testing::Test {
 protected:
  PlanDoors() { build(); }

  void build(PlanOptions options = {}) {
    const PipelineSettings p = settings();
    DockSettings ds;
    ds.site_id = p.site_id;
    ds.site_gln = p.site_gln;
    ds.gateway_id = p.gateway_id;
    ds.doors = p.doors;
    ds.sensor_doors = {"door-03", "door-07"};
    ds.tz_offset_minutes = p.tz_offset_minutes;
    ds.id_seed = 7;
    ds.options.transport_patterns = {"license_plate"};
    ds.options.flag_scan_without_session = false;  // scan_without_session is not under test
    PlanCheckSettings cs;
    cs.site_id = p.site_id;
    cs.site_gln = p.site_gln;
    cs.gateway_id = p.gateway_id;
    cs.doors = p.doors;
    cs.sensor_doors = ds.sensor_doors;
    cs.options = options;
    cs.id_seed = 9;
    pipeline_ = std::make_unique<ScanPipeline>(p);
    dock_ = std::make_unique<DockSessions>(ds);
    checks_ = std::make_unique<PlanChecks>(cs, dock_.get());
    pipeline_->set_decorator(checks_.get());
    dock_->set_visit_observer(checks_.get());
  }

  // Restart: new objects, plans loaded from the "plans table", state restored.
  void restart() {
    build();
    for (const auto& [id, text] : stored_plans_) {
      EXPECT_EQ(checks_->load(text, id, "mqtt", kT0), "");
    }
    EXPECT_TRUE(dock_->restore(saved_).empty());
    EXPECT_TRUE(checks_->restore(saved_).empty());
  }

  PlanIntake publish(const Json& doc, std::int64_t t = kT0) {
    return publish_text(doc.dump(), doc.value("planId", ""), t);
  }
  PlanIntake publish_text(const std::string& text, const std::string& id, std::int64_t t = kT0) {
    PlanIntake in = checks_->receive(text, id, "mqtt", t);
    if (in.outcome == PlanIntake::Outcome::accepted ||
        in.outcome == PlanIntake::Outcome::replaced) {
      stored_plans_[id] = text;
    }
    if (in.outcome == PlanIntake::Outcome::cancelled) stored_plans_.erase(id);
    apply(in.state);
    return in;
  }

  void apply(const std::vector<StateChange>& changes) {
    for (const auto& s : changes) {
      if (s.value) {
        saved_[s.key] = *s.value;
      } else if (s.prefix) {
        std::erase_if(saved_, [&](const auto& kv) { return kv.first.rfind(s.key, 0) == 0; });
      } else {
        saved_.erase(s.key);
      }
    }
  }

  // Collects outputs (followups included), applying state and noting feedback per output.
  std::vector<Json> keep(std::vector<PipelineOutput> outs) {
    std::vector<Json> parsed;
    for (auto& o : outs) {
      apply(o.state);
      for (FeedbackSignal f : o.feedback) feedback_.push_back(to_string(f));
      if (!o.open_json.empty()) parsed.push_back(test::finish(o, ++seq_));
      auto more = keep(std::move(o.followups));
      parsed.insert(parsed.end(), more.begin(), more.end());
    }
    return parsed;
  }
  std::vector<Json> scan(const std::string& door, const std::string& data, std::int64_t t) {
    auto out = pipeline_->on_read(test::scan(door, "]C1", data, t));
    if (!out) return {};
    std::vector<PipelineOutput> v;
    v.push_back(std::move(*out));
    return keep(std::move(v));
  }
  std::vector<Json> pallet(const std::string& door, unsigned n, std::int64_t t) {
    return scan(door, "00" + sscc(n), t);
  }
  std::vector<Json> signal(const std::string& door, const char* point, bool value, std::int64_t t) {
    return keep(dock_->on_signal(
        DockSignal{"plc-1", door, t, point, value, false, "modbus-tcp://127.0.0.1:502/unit/1"}));
  }
  std::vector<Json> tick(std::int64_t t) {
    std::vector<std::string> expired;
    auto out = keep(checks_->on_tick(t, expired));
    for (const auto& id : expired) {
      apply(checks_->remove(id));
      stored_plans_.erase(id);
      expired_.push_back(id);
    }
    return out;
  }
  // A visit at a sensor door: trailer arrives and the door opens.
  void arrive(const std::string& door, std::int64_t t) {
    signal(door, kTrailerPresent, true, t);
    signal(door, kDoorOpen, true, t + 1'000);
  }
  std::vector<Json> depart(const std::string& door, std::int64_t t) {
    auto out = signal(door, kDoorOpen, false, t);
    auto more = signal(door, kTrailerPresent, false, t + 1'000);
    out.insert(out.end(), more.begin(), more.end());
    return out;
  }
  static std::vector<Json> of_type(const std::vector<Json>& all, const std::string& type) {
    std::vector<Json> out;
    for (const auto& j : all) {
      if (j.value("type", "") == type) out.push_back(j);
    }
    return out;
  }

  std::unique_ptr<ScanPipeline> pipeline_;
  std::unique_ptr<DockSessions> dock_;
  std::unique_ptr<PlanChecks> checks_;
  std::map<std::string, std::string> saved_;
  std::map<std::string, std::string> stored_plans_;
  std::vector<std::string> feedback_;
  std::vector<std::string> expired_;
  std::uint64_t seq_ = 0;
};

TEST_F(PlanDoors, ExpectedPalletIsTaggedAndGreenAndARepeatChangesNothing) {
  ASSERT_EQ(publish(plan("P7", {"door-07"}, 1, 3)).outcome, PlanIntake::Outcome::accepted);
  auto out = pallet("door-07", 1, kT0);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0]["dg:planId"], "P7");
  EXPECT_EQ(out[0]["dg:planCheck"], "expected");
  EXPECT_EQ(feedback_, std::vector<std::string>{"green"});
  EXPECT_EQ(saved_.count("plan_unit/P7/" + sscc(1)), 1U);
  const auto before = saved_;
  out = pallet("door-07", 1, kT0 + 10'000);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0]["dg:planCheck"], "repeat");
  EXPECT_EQ(checks_->matcher().tally("P7")->ssccs.size(), 1U);
  const Json st = checks_->status_json(kT0)["doors"]["door-07"][0];
  EXPECT_EQ(st["expected"], 3);
  EXPECT_EQ(st["read"], 1);
  EXPECT_EQ(st["missing"], 2);
}

TEST_F(PlanDoors, PalletForAnotherDoorIsMisroutedRedNamingBothDoorsAndPlans) {
  publish(plan("P3", {"door-08"}, 100, 2));
  publish(plan("P7", {"door-07"}, 1, 2));
  auto out = pallet("door-07", 100, kT0);
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[0]["type"], "ObjectEvent");  // the fact is recorded all the same
  EXPECT_EQ(out[0]["dg:planCheck"], "misrouted");
  EXPECT_FALSE(out[0].contains("dg:planId"));
  const Json& ex = out[1];
  EXPECT_EQ(ex["type"], "misrouted");
  EXPECT_EQ(ex["planId"], "P3");
  EXPECT_EQ(ex["doorPlanId"], "P7");
  EXPECT_EQ(ex["planDoors"], Json::array({"door-08"}));
  EXPECT_EQ(ex["locationId"], "door-07");
  EXPECT_EQ(ex["unit"], sscc(100));
  EXPECT_EQ(ex["relatedEventId"], out[0]["eventID"]);
  EXPECT_NE(ex["reason"].get<std::string>().find("door-08"), std::string::npos);
  EXPECT_EQ(feedback_, (std::vector<std::string>{"red", "buzzer"}));  // no green
  EXPECT_EQ(checks_->matcher().tally("P3")->deviations, 1U);
  EXPECT_TRUE(checks_->matcher().tally("P3")->ssccs.empty());
}

TEST_F(PlanDoors, OutboundPalletReadAtAnInboundDoorIsMisrouted) {
  publish(plan("P7", {"door-07", "door-03"}, 1, 2));
  auto out = pallet("door-03", 1, kT0);  // door-03 is an inbound door
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[1]["type"], "misrouted");
  EXPECT_NE(out[1]["reason"].get<std::string>().find("wrong direction"), std::string::npos);
}

TEST_F(PlanDoors, UnitInNoPlanAlarmsOnlyWhereAPlanIsCurrentAndCanBeRecordOnly) {
  publish(plan("P7", {"door-07"}, 1, 2));
  auto out = pallet("door-07", 500, kT0);
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[0]["dg:planCheck"], "unexpected_unit");
  EXPECT_EQ(out[1]["type"], "unexpected_unit");
  EXPECT_EQ(out[1]["doorPlanId"], "P7");
  out = pallet("door-09", 501, kT0);  // no plan at door-09: not checked
  ASSERT_EQ(out.size(), 1U);
  EXPECT_FALSE(out[0].contains("dg:planCheck"));

  PlanOptions record_only;
  record_only.unexpected_alarm = false;
  build(record_only);
  publish(plan("P7", {"door-07"}, 1, 2));
  out = pallet("door-07", 502, kT0);
  ASSERT_EQ(out.size(), 1U);  // record only
  EXPECT_EQ(out[0]["dg:planCheck"], "unexpected_unit");
}

TEST_F(PlanDoors, GtinLineBeyondItsQuantityIsOverShipment) {
  Json p = plan("P7", {"door-07"}, 0, 0);
  p["units"] = {{"lines", {{{"gtin", kGtin}, {"quantity", 2}}}}};
  ASSERT_EQ(publish(p).outcome, PlanIntake::Outcome::accepted);
  EXPECT_EQ(scan("door-07", "01" + kGtin + "21S1", kT0).size(), 1U);
  EXPECT_EQ(scan("door-07", "01" + kGtin + "21S1", kT0 + 1).at(0)["dg:planCheck"], "repeat");
  EXPECT_EQ(scan("door-07", "01" + kGtin + "21S2", kT0 + 2).size(), 1U);
  auto out = scan("door-07", "01" + kGtin + "21S3", kT0 + 3);
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[1]["type"], "over_shipment");
  EXPECT_EQ(out[1]["planId"], "P7");
  // A case label with a count (AI 30) adds its quantity.
  out = scan("door-07", "01" + kGtin + "305", kT0 + 4);
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(checks_->matcher().tally("P7")->lines.at(kGtin), 8U);
}

TEST_F(PlanDoors, GtinOfAnOutboundLineReadElsewhereIsNotMisrouted) {
  Json p = plan("P7", {"door-07"}, 0, 0);
  p["units"] = {{"lines", {{{"gtin", kGtin}, {"quantity", 2}}}}};
  publish(p);
  publish(plan("P8", {"door-08"}, 1, 1));
  // The same product received at goods-in (no plan there): not checked at all.
  auto out = scan("door-03", "01" + kGtin + "3712", kT0);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_FALSE(out[0].contains("dg:planCheck"));
  // At door-08, whose plan has no such line: unexpected for that trailer, not misrouted.
  out = scan("door-08", "01" + kGtin + "21S9", kT0);
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[1]["type"], "unexpected_unit");
  EXPECT_EQ(checks_->matcher().tally("P7"), nullptr);
}

TEST_F(PlanDoors, DepartingShortRaisesShortShipmentListingEveryMissingSscc) {
  publish(plan("P7", {"door-07"}, 1, 4));
  arrive("door-07", kT0);
  pallet("door-07", 1, kT0 + kMin);
  pallet("door-07", 3, kT0 + 2 * kMin);
  auto out = depart("door-07", kT0 + 10 * kMin);
  const auto departing = of_type(out, "ObjectEvent").back();
  EXPECT_EQ(departing["dg:milestone"], "departing");
  EXPECT_EQ(departing["dg:planId"], "P7");
  EXPECT_EQ(departing["dg:expectedUnits"], 4);
  EXPECT_EQ(departing["dg:actualUnits"], 2);
  const auto shorts = of_type(out, "short_shipment");
  ASSERT_EQ(shorts.size(), 1U);
  EXPECT_EQ(shorts[0]["missingSsccs"], Json::array({sscc(2), sscc(4)}));
  EXPECT_EQ(shorts[0]["planId"], "P7");
  EXPECT_EQ(shorts[0]["relatedEventId"], departing["eventID"]);
  EXPECT_NE(shorts[0]["reason"].get<std::string>().find(sscc(2)), std::string::npos);
  // The visit is finished: a further read of its pallet is no longer expected there.
  EXPECT_NE(checks_->matcher().tally("P7")->finished_ms, 0);
}

TEST_F(PlanDoors, CompleteVisitRaisesNothing) {
  publish(plan("P7", {"door-07"}, 1, 2));
  arrive("door-07", kT0);
  pallet("door-07", 1, kT0 + kMin);
  pallet("door-07", 2, kT0 + kMin);
  auto out = depart("door-07", kT0 + 10 * kMin);
  EXPECT_TRUE(of_type(out, "short_shipment").empty());
  EXPECT_EQ(of_type(out, "ObjectEvent").back()["dg:actualUnits"], 2);
}

TEST_F(PlanDoors, TwoDoorsSharingAPlanCountTowardsOneTally) {
  publish(plan("P78", {"door-07", "door-08"}, 1, 2));
  EXPECT_EQ(pallet("door-07", 1, kT0).at(0)["dg:planCheck"], "expected");
  EXPECT_EQ(pallet("door-08", 2, kT0).at(0)["dg:planCheck"], "expected");
  EXPECT_EQ(checks_->matcher().tally("P78")->ssccs.size(), 2U);
}

TEST_F(PlanDoors, OverlappingWindowsAtOneDoorTellTheTrailersApart) {
  Json today = plan("TODAY", {"door-08"}, 1, 2);
  today["plannedArrival"] = "2026-12-05T14:00:00Z";
  today["plannedDeparture"] = "2026-12-05T15:00:00Z";
  Json tomorrow = plan("TOMORROW", {"door-08"}, 50, 2);
  tomorrow["plannedArrival"] = "2026-12-06T14:00:00Z";
  tomorrow["plannedDeparture"] = "2026-12-06T15:00:00Z";
  publish(today);
  publish(tomorrow);
  EXPECT_EQ(pallet("door-08", 1, kT0).at(0)["dg:planId"], "TODAY");
  auto out = pallet("door-08", 50, kT0);  // tomorrow's pallet onto today's trailer
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[1]["type"], "misrouted");
  EXPECT_EQ(out[1]["planId"], "TOMORROW");
  EXPECT_EQ(out[1]["doorPlanId"], "TODAY");
  // Early loading with no other visit current at the door is fine.
  EXPECT_EQ(pallet("door-08", 51, kT0 + 6 * 3'600'000).at(0)["dg:planId"], "TOMORROW");
}

TEST_F(PlanDoors, RevisionsReplaceWithdrawalsRemoveAndStaleOnesAreIgnored) {
  publish(plan("P7", {"door-07"}, 1, 2, 1));
  pallet("door-07", 1, kT0);
  // Revision 2 moves the plan to door-08 and adds a pallet; the count of pallet 1 stays.
  EXPECT_EQ(publish(plan("P7", {"door-08"}, 1, 3, 2)).outcome, PlanIntake::Outcome::replaced);
  EXPECT_EQ(publish(plan("P7", {"door-07"}, 1, 1, 1)).outcome, PlanIntake::Outcome::stale);
  EXPECT_EQ(checks_->matcher().tally("P7")->ssccs.size(), 1U);
  EXPECT_EQ(pallet("door-07", 2, kT0 + 1).at(1)["type"], "misrouted");
  EXPECT_EQ(pallet("door-08", 3, kT0 + 2).at(0)["dg:planCheck"], "expected");
  // An old withdrawal does not remove the newer revision; a current one does, mid-visit.
  const Json old_cancel = {{"planId", "P7"}, {"revision", 1}, {"status", "cancelled"}};
  EXPECT_EQ(publish(old_cancel).outcome, PlanIntake::Outcome::unknown);
  const Json cancel = {{"planId", "P7"}, {"revision", 2}, {"status", "cancelled"}};
  EXPECT_EQ(publish(cancel).outcome, PlanIntake::Outcome::cancelled);
  EXPECT_EQ(saved_.count("plan_unit/P7/" + sscc(1)), 0U);  // its tally is forgotten
  EXPECT_EQ(pallet("door-08", 2, kT0 + 3).size(), 1U);     // no plan: no check
  // An empty retained message withdraws whatever revision is held.
  publish(plan("P9", {"door-09"}, 200, 1, 5));
  EXPECT_EQ(publish_text("", "P9").outcome, PlanIntake::Outcome::cancelled);
  EXPECT_EQ(checks_->matcher().book().size(), 0U);
}

TEST_F(PlanDoors, BadPlansAreRejectedWithAReasonAndChangeNothing) {
  Json bad = plan("P7", {"door-07"}, 1, 1);
  bad["units"]["ssccs"][0] = "340123450000000011";
  PlanIntake in = publish(bad);
  ASSERT_EQ(in.outcome, PlanIntake::Outcome::rejected);
  ASSERT_TRUE(in.rejection);
  const Json ex = test::finish(*in.rejection);
  EXPECT_EQ(ex["type"], "plan_rejected");
  EXPECT_EQ(ex["planId"], "P7");
  EXPECT_NE(ex["reason"].get<std::string>().find("check digit"), std::string::npos);
  EXPECT_EQ(publish(plan("P8", {"door-99"}, 1, 1)).error,
            "doors[0]: 'door-99' is not a location of this gateway");
  EXPECT_EQ(publish_text("{not json", "P9").outcome, PlanIntake::Outcome::rejected);
  EXPECT_EQ(publish_text(plan("P10", {"door-07"}, 1, 1).dump(), "P11").outcome,
            PlanIntake::Outcome::rejected);  // topic and planId disagree
  EXPECT_EQ(checks_->matcher().book().size(), 0U);
}

TEST_F(PlanDoors, RestartKeepsPlansAndCountsAndRaisesNothingTwice) {
  Json p = plan("P7", {"door-07"}, 1, 3);
  p["plannedArrival"] = "2026-12-05T14:00:00Z";
  publish(p);
  arrive("door-07", kT0);
  pallet("door-07", 1, kT0 + kMin);
  pallet("door-07", 2, kT0 + kMin);
  EXPECT_TRUE(tick(kT0 + 2 * kMin).empty());  // arrived: no late_arrival
  restart();
  EXPECT_EQ(checks_->matcher().tally("P7")->ssccs.size(), 2U);
  EXPECT_EQ(pallet("door-07", 2, kT0 + 3 * kMin).at(0)["dg:planCheck"], "repeat");
  EXPECT_TRUE(tick(kT0 + 60 * kMin).empty());
  auto out = depart("door-07", kT0 + 70 * kMin);
  const auto shorts = of_type(out, "short_shipment");
  ASSERT_EQ(shorts.size(), 1U);
  EXPECT_EQ(shorts[0]["missingSsccs"], Json::array({sscc(3)}));
}

TEST_F(PlanDoors, LateArrivalAndLateDepartureAreRaisedOnceEvenWithNoScan) {
  Json p = plan("P7", {"door-07"}, 1, 1);
  p["plannedArrival"] = "2026-12-05T14:00:00Z";
  p["plannedDeparture"] = "2026-12-05T15:00:00Z";
  publish(p);
  EXPECT_TRUE(tick(kT0 - 16 * kMin).empty());  // 14:14: within the 15 min grace
  auto out = tick(kT0);                        // 14:30
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0]["type"], "late_arrival");
  EXPECT_EQ(out[0]["planId"], "P7");
  EXPECT_EQ(out[0]["locationId"], "door-07");
  EXPECT_TRUE(tick(kT0 + kMin).empty());  // once
  arrive("door-07", kT0 + 5 * kMin);
  out = tick(kT0 + 50 * kMin);  // 15:20
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0]["type"], "late_departure");
  restart();
  EXPECT_TRUE(tick(kT0 + 55 * kMin).empty());  // not again after a restart
}

TEST_F(PlanDoors, WithoutSensorsThePlanWindowIsTheVisit) {
  Json p = plan("P8", {"door-08"}, 1, 2);
  p["plannedDeparture"] = "2026-12-05T15:00:00Z";
  publish(p);
  pallet("door-08", 1, kT0);
  auto out = tick(kT0 + 46 * kMin);  // 15:16
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0]["type"], "short_shipment");
  EXPECT_EQ(out[0]["missingSsccs"], Json::array({sscc(2)}));
  EXPECT_TRUE(tick(kT0 + 47 * kMin).empty());
  tick(kT0 + 25 * 60 * kMin);  // a day later the finished plan is dropped
  EXPECT_EQ(expired_, std::vector<std::string>{"P8"});
  EXPECT_EQ(saved_.count("plan_visit/P8"), 0U);
}

TEST_F(PlanDoors, TransportOfAPlanAtTheWrongDoorIsWrongDoor) {
  Json p = plan("P8", {"door-08"}, 1, 1);
  p["transportId"] = "12345678";
  publish(p);
  arrive("door-07", kT0);
  auto out = scan("door-07", "LP12345678", kT0 + kMin);
  const auto wrong = of_type(out, "wrong_door");
  ASSERT_EQ(wrong.size(), 1U);
  EXPECT_EQ(wrong[0]["planId"], "P8");
  EXPECT_EQ(wrong[0]["locationId"], "door-07");
}

TEST_F(PlanDoors, RfidPassOfAnSscc96TagIsCheckedLikeItsLabel) {
  Json p = plan("IN3", {"door-03"}, 0, 0);
  p["direction"] = "inbound";
  p["units"] = {{"ssccs", {"340123450000000499"}}};
  ASSERT_EQ(publish(p).outcome, PlanIntake::Outcome::accepted);
  // SSCC-96 of 340123450000000499 (the demo's tagged pallet), one pass at door-03's portal.
  ScanRead r{"rfid-door03", "door-03", kT0, "", "31D4F4E4E4B2D05E31000000"};
  TagFacts f;
  f.epc_hex = r.data;
  f.epc_bits = 96;
  f.antenna_id = 1;
  f.read_count = 12;
  f.first_seen_ms = kT0;
  f.last_seen_ms = kT0 + 2'000;
  r.tag = f;
  auto out = pipeline_->on_read(r);
  ASSERT_TRUE(out);
  std::vector<PipelineOutput> v;
  v.push_back(std::move(*out));
  const auto events = keep(std::move(v));
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0]["dg:planId"], "IN3");
  EXPECT_EQ(events[0]["dg:planCheck"], "expected");
  EXPECT_EQ(checks_->matcher().tally("IN3")->ssccs.size(), 1U);
}

TEST(PlanBook, SsccIndexFindsPlansAndSurvivesReplacement) {
  PlanBook book;
  for (unsigned i = 0; i < 50; ++i) {
    DockPlan p;
    p.plan_id = "P" + std::to_string(i);
    p.revision = 1;
    p.doors = {"door-07"};
    for (unsigned u = 0; u < 100; ++u) p.ssccs.push_back(sscc(i * 1000 + u));
    book.put(std::move(p), "file:x", 0);
  }
  EXPECT_EQ(book.unit_count(), 5000U);
  auto found = book.with_sscc(*sscc_number(sscc(17 * 1000 + 42)));
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0]->plan.plan_id, "P17");
  EXPECT_TRUE(book.with_sscc(*sscc_number(sscc(999'999))).empty());
  DockPlan p;
  p.plan_id = "P17";
  p.revision = 2;
  p.doors = {"door-08"};
  p.ssccs = {sscc(1)};
  EXPECT_EQ(book.put(std::move(p), "mqtt", 0), PlanBook::Put::replaced);
  EXPECT_TRUE(book.with_sscc(*sscc_number(sscc(17 * 1000 + 42))).empty());
  EXPECT_EQ(book.with_sscc(*sscc_number(sscc(1))).size(), 2U);  // P0 and P17
  EXPECT_EQ(book.at_door("door-08").size(), 1U);
  EXPECT_EQ(sscc_text(*sscc_number("000000000000000017")), "000000000000000017");
}

}  // namespace
}  // namespace dockgate::plans

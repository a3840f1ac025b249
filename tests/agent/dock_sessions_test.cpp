// SPDX-License-Identifier: Apache-2.0
// Dock sessions: the state machine on sensor signals and scans (through the real
// ScanPipeline with DockSessions as its decorator), the local exceptions, and the state
// that survives a restart.
#include "agent/dock/dock_sessions.hpp"

#include <gtest/gtest.h>

#include "pipeline_fixture.hpp"

namespace dockgate {
namespace {

using Json = nlohmann::json;
using test::finish;

constexpr std::int64_t kT0 = 1'763'712'000'000;  // 2025-11-21T08:00:00Z

DockSettings dock_test_settings() {
  const PipelineSettings p = test::test_settings();
  DockSettings s;
  s.site_id = p.site_id;
  s.site_gln = p.site_gln;
  s.gateway_id = p.gateway_id;
  s.doors = p.doors;
  s.sensor_doors = {"door-03", "door-07"};
  s.tz_offset_minutes = p.tz_offset_minutes;
  s.id_seed = 7;
  s.options.door_open_alarm = std::chrono::minutes(30);
  s.options.transport_patterns = {"license_plate"};
  return s;
}

DockSignal sig(const std::string& door, const char* point, bool value, std::int64_t t,
               bool initial = false) {
  return DockSignal{"plc-1", door, t, point, value, initial, "modbus-tcp://127.0.0.1:502/unit/1"};
}

// A door with its scanner: the pipeline decorated by the sessions, as in the agent.
class DockDoor : public ::testing::Test {
 protected:
  DockDoor() : pipeline_(test::test_settings()), dock_(dock_test_settings()) {
    pipeline_.set_decorator(&dock_);
  }

  // Collects outputs (followups included) and applies their state changes, like the outbox.
  std::vector<Json> keep(std::vector<PipelineOutput> outs) {
    std::vector<Json> parsed;
    for (auto& o : outs) {
      for (auto& s : o.state) {
        if (s.value) {
          saved_[s.key] = *s.value;
        } else {
          saved_.erase(s.key);
        }
      }
      if (!o.open_json.empty()) parsed.push_back(finish(o, ++seq_));
      auto more = keep(std::move(o.followups));
      parsed.insert(parsed.end(), more.begin(), more.end());
    }
    return parsed;
  }
  std::vector<Json> signal(const std::string& door, const char* point, bool value, std::int64_t t) {
    return keep(dock_.on_signal(sig(door, point, value, t)));
  }
  std::vector<Json> scan(const std::string& door, const std::string& data, std::int64_t t) {
    auto out = pipeline_.on_read(test::scan(door, "]C1", data, t));
    if (!out) return {};
    std::vector<PipelineOutput> v;
    v.push_back(std::move(*out));
    return keep(std::move(v));
  }

  /// An RFID pass (what the llrp driver hands the agent) of the EPC `hex` at `door`.
  std::vector<Json> tag(const std::string& door, const std::string& hex, std::int64_t t) {
    ScanRead r{"rfid-" + door, door, t, "", hex};
    TagFacts f;
    f.epc_hex = hex;
    f.epc_bits = hex.size() * 4;
    f.antenna_id = 1;
    f.read_count = 25;
    f.first_seen_ms = t;
    f.last_seen_ms = t + 3'000;
    r.tag = f;
    auto out = pipeline_.on_read(std::move(r));
    if (!out) return {};
    std::vector<PipelineOutput> v;
    v.push_back(std::move(*out));
    return keep(std::move(v));
  }

  ScanPipeline pipeline_;
  DockSessions dock_;
  std::map<std::string, std::string> saved_;
  std::uint64_t seq_ = 0;
};

TEST_F(DockDoor, FullOutboundSessionGivesArrivingScansAndDepartingInOrder) {
  auto arrived = signal("door-07", kTrailerPresent, true, kT0);
  ASSERT_EQ(arrived.size(), 1U);
  const Json& a = arrived[0];
  EXPECT_EQ(a["type"], "ObjectEvent");
  EXPECT_EQ(a["bizStep"], "arriving");
  EXPECT_EQ(a["dg:milestone"], "arriving");
  EXPECT_EQ(a["readPoint"]["id"], "https://id.gs1.org/414/4012345000016/254/DOOR07");
  const std::string session = a["dg:dockSessionId"];
  EXPECT_TRUE(session.starts_with("urn:uuid:"));
  const Json& report = a["sensorElementList"][0];
  EXPECT_EQ(report["sensorMetadata"]["deviceID"], "modbus-tcp://127.0.0.1:502/unit/1");
  EXPECT_EQ(report["sensorReport"][0]["type"], "dg:trailerPresent");
  EXPECT_EQ(report["sensorReport"][0]["booleanValue"], true);

  auto opened = signal("door-07", kDoorOpen, true, kT0 + 60'000);
  ASSERT_EQ(opened.size(), 1U) << "a trailer is there: no exception";
  EXPECT_EQ(opened[0]["dg:milestone"], "door_opened");
  EXPECT_EQ(opened[0]["bizStep"], "sensor_reporting");
  EXPECT_EQ(opened[0]["dg:dockSessionId"], session);

  const std::vector<std::string> ssccs = {"00340123450000000420", "00340123450000000437",
                                          "00340123450000000444"};
  for (std::size_t i = 0; i < ssccs.size(); ++i) {
    auto e = scan("door-07", ssccs[i], kT0 + 120'000 + static_cast<std::int64_t>(i) * 10'000);
    ASSERT_EQ(e.size(), 1U);
    EXPECT_EQ(e[0]["bizStep"], "loading");
    EXPECT_EQ(e[0]["dg:dockSessionId"], session);
  }
  auto closed = signal("door-07", kDoorOpen, false, kT0 + 600'000);
  ASSERT_EQ(closed.size(), 1U) << "the trailer is still there: the session goes on";
  EXPECT_EQ(closed[0]["dg:milestone"], "door_closed");

  auto departed = signal("door-07", kTrailerPresent, false, kT0 + 660'000);
  ASSERT_EQ(departed.size(), 1U);
  const Json& d = departed[0];
  EXPECT_EQ(d["type"], "ObjectEvent") << "no trailer id scanned: ObjectEvent with the epcList";
  EXPECT_EQ(d["bizStep"], "departing");
  EXPECT_EQ(d["disposition"], "in_transit");
  EXPECT_EQ(d["dg:milestone"], "departing");
  EXPECT_EQ(d["dg:dockSessionId"], session);
  EXPECT_EQ(d["dg:handlingUnitCount"], 3);
  EXPECT_EQ(d["epcList"], Json::array({"https://id.gs1.org/00/340123450000000420",
                                       "https://id.gs1.org/00/340123450000000437",
                                       "https://id.gs1.org/00/340123450000000444"}));
  EXPECT_EQ(d["eventTime"], "2025-11-21T08:11:00.000Z");
  EXPECT_EQ(dock_.door("door-07")->session, std::nullopt);
}

TEST_F(DockDoor, TrailerScanNamesTheTransportAndDepartingIsAggregation) {
  signal("door-07", kTrailerPresent, true, kT0);
  signal("door-07", kDoorOpen, true, kT0 + 1000);
  auto t = scan("door-07", "8004401234500000TRL42", kT0 + 2000);  // GIAI of the trailer
  ASSERT_EQ(t.size(), 1U);
  EXPECT_EQ(t[0]["bizStep"], "arriving");
  EXPECT_EQ(t[0]["dg:milestone"], "transport_identified");
  EXPECT_EQ(t[0]["dg:transportId"], "https://id.gs1.org/8004/401234500000TRL42");
  auto e = scan("door-07", "00340123450000000420", kT0 + 3000);
  EXPECT_EQ(e[0]["dg:transportId"], "https://id.gs1.org/8004/401234500000TRL42");
  signal("door-07", kDoorOpen, false, kT0 + 4000);
  auto d = signal("door-07", kTrailerPresent, false, kT0 + 5000);
  ASSERT_EQ(d.size(), 1U);
  EXPECT_EQ(d[0]["type"], "AggregationEvent");
  EXPECT_EQ(d[0]["parentID"], "https://id.gs1.org/8004/401234500000TRL42");
  EXPECT_EQ(d[0]["childEPCs"], Json::array({"https://id.gs1.org/00/340123450000000420"}));
  EXPECT_EQ(d[0]["dg:handlingUnitCount"], 1) << "the trailer scan is not a handling unit";
}

TEST_F(DockDoor, RfidPassOfAPalletJoinsTheOpenSessionAndItsDeparture) {
  signal("door-07", kTrailerPresent, true, kT0);
  auto t = scan("door-07", "8004401234500000TRL42", kT0 + 1000);
  const std::string session = t.at(0)["dg:dockSessionId"];
  // SSCC 340123450000000420 by its label, SSCC 340123450000000437 only by its SSCC-96 tag.
  scan("door-07", "00340123450000000420", kT0 + 2000);
  auto r = tag("door-07", "31D4F4E4E4B2D05E2B000000", kT0 + 3000);
  ASSERT_EQ(r.size(), 1U);
  EXPECT_EQ(r[0]["dg:source"], "rfid");
  EXPECT_EQ(r[0]["bizStep"], "loading");
  EXPECT_EQ(r[0]["dg:dockSessionId"], session);
  EXPECT_EQ(r[0]["dg:transportId"], "https://id.gs1.org/8004/401234500000TRL42");
  EXPECT_EQ(r[0]["epcList"], Json::array({"https://id.gs1.org/00/340123450000000437"}));
  auto d = signal("door-07", kTrailerPresent, false, kT0 + 5000);
  ASSERT_EQ(d.size(), 1U);
  EXPECT_EQ(d[0]["type"], "AggregationEvent");
  EXPECT_EQ(d[0]["childEPCs"], Json::array({"https://id.gs1.org/00/340123450000000420",
                                            "https://id.gs1.org/00/340123450000000437"}));
  EXPECT_EQ(d[0]["dg:handlingUnitCount"], 2);
}

TEST_F(DockDoor, LicensePlatePatternAlsoIdentifiesTheTrailer) {
  signal("door-07", kTrailerPresent, true, kT0);
  auto t = pipeline_.on_read(test::scan("door-07", "", "LP00012345", kT0 + 1000));
  ASSERT_TRUE(t);
  EXPECT_EQ(finish(*t)["dg:transportId"], "urn:dockgate:lp:00012345");
}

TEST_F(DockDoor, InboundSessionEndsWithUnloadingCompleteCount) {
  signal("door-03", kTrailerPresent, true, kT0);
  signal("door-03", kDoorOpen, true, kT0 + 1000);
  scan("door-03", "00340123450000000420", kT0 + 2000);
  scan("door-03", "00340123450000000437", kT0 + 3000);
  // The trailer pulls away while the door is still open: a hazard, the session stays open.
  auto left = signal("door-03", kTrailerPresent, false, kT0 + 4000);
  ASSERT_EQ(left.size(), 1U);
  EXPECT_EQ(left[0]["type"], "door_open_without_trailer");
  EXPECT_NE(left[0]["reason"].get<std::string>().find("left door-03"), std::string::npos);
  auto closed = signal("door-03", kDoorOpen, false, kT0 + 5000);
  ASSERT_EQ(closed.size(), 2U);
  EXPECT_EQ(closed[0]["dg:milestone"], "door_closed");
  const Json& u = closed[1];
  EXPECT_EQ(u["bizStep"], "unloading");
  EXPECT_EQ(u["dg:milestone"], "unloading_complete");
  EXPECT_EQ(u["dg:handlingUnitCount"], 2);
  EXPECT_EQ(u["epcList"].size(), 2U);
  EXPECT_FALSE(u.contains("disposition"));
}

TEST_F(DockDoor, DoorOpenWithoutTrailerAndTooLongRaiseExceptionsOnce) {
  auto opened = signal("door-07", kDoorOpen, true, kT0);
  ASSERT_EQ(opened.size(), 2U);
  EXPECT_EQ(opened[1]["type"], "door_open_without_trailer");
  EXPECT_EQ(opened[1]["locationId"], "door-07");
  EXPECT_TRUE(keep(dock_.on_tick(kT0 + 29 * 60'000)).empty());
  auto alarm = keep(dock_.on_tick(kT0 + 30 * 60'000));
  ASSERT_EQ(alarm.size(), 1U);
  EXPECT_EQ(alarm[0]["type"], "door_open_too_long");
  EXPECT_NE(alarm[0]["reason"].get<std::string>().find("open for 30 min"), std::string::npos);
  EXPECT_TRUE(keep(dock_.on_tick(kT0 + 31 * 60'000)).empty()) << "once per opening";
  signal("door-07", kDoorOpen, false, kT0 + 32 * 60'000);
  signal("door-07", kDoorOpen, true, kT0 + 33 * 60'000);
  EXPECT_EQ(keep(dock_.on_tick(kT0 + 63 * 60'000)).size(), 1U) << "a new opening, a new alarm";
}

TEST_F(DockDoor, ScanWithoutSessionIsRecordedAndFlaggedOnlyAtSensorDoors) {
  auto e = scan("door-07", "00340123450000000420", kT0);
  ASSERT_EQ(e.size(), 2U);
  EXPECT_EQ(e[0]["type"], "ObjectEvent");
  EXPECT_FALSE(e[0].contains("dg:dockSessionId"));
  EXPECT_EQ(e[1]["type"], "scan_without_session");
  EXPECT_EQ(e[1]["relatedEventId"], e[0]["eventID"]);

  DockSettings s = dock_test_settings();
  s.sensor_doors = {"door-07"};
  DockSessions only7(s);
  ScanPipeline p(test::test_settings());
  p.set_decorator(&only7);
  auto plain = p.on_read(test::scan("door-03", "]C1", "00340123450000000437", kT0));
  ASSERT_TRUE(plain);
  EXPECT_TRUE(plain->followups.empty()) << "door-03 has no dock sensors";
}

TEST_F(DockDoor, EmptyOutboundDepartureIsAnException) {
  signal("door-07", kTrailerPresent, true, kT0);
  auto d = signal("door-07", kTrailerPresent, false, kT0 + 1000);
  ASSERT_EQ(d.size(), 2U);
  EXPECT_EQ(d[0]["dg:milestone"], "departing");
  EXPECT_FALSE(d[0].contains("epcList"));
  EXPECT_EQ(d[0]["sensorElementList"][0]["sensorReport"][0]["booleanValue"], false);
  EXPECT_EQ(d[1]["type"], "empty_departure");
  EXPECT_EQ(d[1]["dockSessionId"], d[0]["dg:dockSessionId"]);
  EXPECT_EQ(d[1]["relatedEventId"], d[0]["eventID"]);
}

TEST_F(DockDoor, RepeatedValuesAndUnknownDoorsGiveNothing) {
  signal("door-07", kTrailerPresent, true, kT0);
  EXPECT_TRUE(signal("door-07", kTrailerPresent, true, kT0 + 1000).empty());
  EXPECT_TRUE(signal("door-99", kTrailerPresent, true, kT0).empty());
  // A first "no trailer" / "door closed" on an unknown door only records the value.
  EXPECT_TRUE(signal("door-03", kTrailerPresent, false, kT0).empty());
  EXPECT_TRUE(signal("door-03", kDoorOpen, false, kT0).empty());
  EXPECT_EQ(dock_.door("door-03")->door_open, false);
  EXPECT_EQ(saved_.count("dock_session/door-03"), 1U) << "the known value is kept";
}

TEST_F(DockDoor, SessionSurvivesRestartFromSavedState) {
  signal("door-07", kTrailerPresent, true, kT0);
  signal("door-07", kDoorOpen, true, kT0 + 1000);
  scan("door-07", "00340123450000000420", kT0 + 2000);
  const std::string session = dock_.door("door-07")->session->id;

  // "Restart": a new instance from what the outbox holds.
  DockSessions after(dock_test_settings());
  EXPECT_TRUE(after.restore(saved_).empty());
  ASSERT_TRUE(after.door("door-07")->session);
  EXPECT_EQ(after.door("door-07")->session->id, session);
  // The PLC reports the current state on reconnect: unchanged values give nothing.
  EXPECT_TRUE(after.on_signal(sig("door-07", kTrailerPresent, true, kT0 + 9000, true)).empty());
  auto closed = after.on_signal(sig("door-07", kDoorOpen, false, kT0 + 10'000));
  auto left = after.on_signal(sig("door-07", kTrailerPresent, false, kT0 + 11'000));
  ASSERT_EQ(left.size(), 1U);
  auto d = finish(left[0]);
  EXPECT_EQ(d["dg:dockSessionId"], session);
  EXPECT_EQ(d["epcList"], Json::array({"https://id.gs1.org/00/340123450000000420"}));
}

TEST_F(DockDoor, DamagedOrStaleSavedStateIsReportedNotFatal) {
  DockSessions after(dock_test_settings());
  auto problems = after.restore({{"dock_session/door-07", "{not json"},
                                 {"dock_session/door-42", R"({"session":null})"},
                                 {"other/key", "x"}});
  ASSERT_EQ(problems.size(), 2U);
  EXPECT_NE(problems[0].find("door-07"), std::string::npos);
  EXPECT_NE(problems[1].find("no longer in the config"), std::string::npos);
  EXPECT_EQ(after.door("door-07")->session, std::nullopt);
}

// The crash points of one transition with two outputs (door opens without a trailer: the
// door_opened event, then door_open_without_trailer; the state rides on the last one).
// Whatever committed before the crash, replaying the input derives the same eventIDs.
TEST_F(DockDoor, CrashBetweenTwoOutputsOfATransitionReplaysTheSameEventIds) {
  // A gateway that has seen its door before: bootstrap stored the id epoch.
  auto boot = dock_.bootstrap_state();
  ASSERT_EQ(boot.size(), 2U);  // door-03, door-07
  keep(std::move(boot));
  signal("door-07", kDoorOpen, false, kT0);  // first report: closed
  const auto before = saved_;                // committed state before the transition

  auto first = dock_.on_signal(sig("door-07", kDoorOpen, true, kT0 + 1000));
  ASSERT_EQ(first.size(), 2U);
  ASSERT_TRUE(first[0].state.empty());
  ASSERT_FALSE(first[1].state.empty());
  const std::string opened_id = first[0].event_id;
  const std::string hazard_id = first[1].event_id;
  EXPECT_NE(opened_id, hazard_id);
  EXPECT_EQ(finish(first[0])["eventID"], opened_id);

  // Crash after the first output was committed, before the second (and its state): the
  // restarted agent restores `before`; the PLC re-reports the open door (initial, later).
  DockSessions restarted(dock_test_settings());
  ASSERT_TRUE(restarted.restore(before).empty());
  EXPECT_TRUE(restarted.bootstrap_state().empty()) << "the epoch was saved";
  auto replay = restarted.on_signal(sig("door-07", kDoorOpen, true, kT0 + 60'000, true));
  ASSERT_EQ(replay.size(), 2U);
  EXPECT_EQ(replay[0].event_id, opened_id) << "the committed fact keeps its eventID";
  EXPECT_EQ(replay[1].event_id, hazard_id);
  EXPECT_EQ(finish(replay[1])["type"], "door_open_without_trailer");

  // Crash after both outputs (state included) were committed: the replay is no change.
  keep(std::move(first));
  DockSessions after(dock_test_settings());
  ASSERT_TRUE(after.restore(saved_).empty());
  EXPECT_TRUE(after.on_signal(sig("door-07", kDoorOpen, true, kT0 + 60'000, true)).empty());

  // The next transition gets new ids, and so does the same transition at another door.
  auto closed = after.on_signal(sig("door-07", kDoorOpen, false, kT0 + 70'000));
  ASSERT_EQ(closed.size(), 1U);
  EXPECT_NE(closed[0].event_id, opened_id);
  EXPECT_NE(closed[0].event_id, hazard_id);
  signal("door-03", kDoorOpen, false, kT0);
  auto other = dock_.on_signal(sig("door-03", kDoorOpen, true, kT0 + 1000));
  ASSERT_EQ(other.size(), 2U);
  EXPECT_NE(other[0].event_id, opened_id);
}

TEST_F(DockDoor, ArrivalReplayedAfterACrashKeepsItsSessionAndEventIds) {
  keep(dock_.bootstrap_state());
  signal("door-07", kDoorOpen, true, kT0);  // door open, no trailer (hazard raised)
  const auto before = saved_;
  // Trailer arrives at the open door: arriving event (new session) in one output.
  auto first = dock_.on_signal(sig("door-07", kTrailerPresent, true, kT0 + 5000));
  ASSERT_EQ(first.size(), 1U);
  const std::string session = dock_.door("door-07")->session->id;

  DockSessions restarted(dock_test_settings());
  ASSERT_TRUE(restarted.restore(before).empty());
  auto replay = restarted.on_signal(sig("door-07", kTrailerPresent, true, kT0 + 30'000, true));
  ASSERT_EQ(replay.size(), 1U);
  EXPECT_EQ(replay[0].event_id, first[0].event_id);
  EXPECT_EQ(restarted.door("door-07")->session->id, session);
}

TEST_F(DockDoor, LostStateGetsANewEpochSoIdsNeverCollideWithTheOldHistory) {
  keep(dock_.bootstrap_state());
  auto a = dock_.on_signal(sig("door-07", kTrailerPresent, true, kT0));
  // A new buffer (state lost): same door, same transition number, other epoch.
  DockSettings other_seed = dock_test_settings();
  other_seed.id_seed = 8;
  DockSessions fresh(other_seed);
  ASSERT_EQ(fresh.bootstrap_state().size(), 2U);
  auto b = fresh.on_signal(sig("door-07", kTrailerPresent, true, kT0));
  ASSERT_EQ(a.size(), 1U);
  ASSERT_EQ(b.size(), 1U);
  EXPECT_NE(a[0].event_id, b[0].event_id);
}

TEST(DoorState, JsonRoundTrip) {
  DoorState st;
  st.trailer_present = true;
  st.door_open = false;
  st.door_open_since_ms = 5;
  st.device_id = "modbus-rtu:///dev/ttyUSB0/unit/3";
  st.driver_id = "d";
  st.session = DockSession{"urn:uuid:x", 7, "urn:t", {"a", "b"}, 4, true, 9};
  st.id_epoch = "00ff00ff00ff00ff";
  st.transitions = 42;
  std::string error;
  auto back = door_state_from_json(to_json(st), error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(to_json(*back), to_json(st));
  EXPECT_FALSE(door_state_from_json(R"({"session":{"openedMs":"x"}})", error));
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace dockgate

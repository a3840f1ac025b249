// SPDX-License-Identifier: Apache-2.0
// Planned vs actual end to end: plans published over MQTT (mosquitto_pub, retained QoS 1) or
// dropped into plans.dir reach the real agent binary; a TCP scanner at door-07 reads an
// expected, a misrouted and an unexpected pallet while the pymodbus door simulator plays the
// trailer; the exact exceptions arrive at the broker, the red / green coils are read back from
// the simulator, `dockgate status --json` shows the tally, and a kill -9 mid-visit loses
// neither the plan nor the count and raises nothing twice.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "tests/drivers/modbus/door_sim_process.hpp"
#include "tests/integration/agent_config_yaml.hpp"
#include "tests/integration/agent_harness.hpp"
#include "tests/integration/captured_events.hpp"
#include "tests/integration/sscc.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/mqtt_capture.hpp"
#include "tests/support/net.hpp"

namespace dockgate::test {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;
using drivers::test::DoorSimProcess;

constexpr const char* kPlansTopic = "dockgate/hub-test/gw-it/plans/";

Json plan(const std::string& id, const std::string& door, std::vector<unsigned> pallets) {
  Json ssccs = Json::array();
  for (unsigned n : pallets) ssccs.push_back(sscc(n));
  return Json{{"planId", id},
              {"revision", 1},
              {"direction", "outbound"},
              {"doors", {door}},
              {"despatchAdviceNumber", "DESADV-" + id},
              {"units", {{"ssccs", ssccs}}}};
}

// The events of one captured message (parsed once: a range-for over a member of a temporary
// would dangle).
std::vector<Json> events_of_message(const CapturedMessage& m) {
  const Json doc = Json::parse(m.payload, nullptr, false);
  if (doc.is_discarded()) return {};
  return doc["epcisBody"]["eventList"].get<std::vector<Json>>();
}

class PlansEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    capture_ = std::make_unique<MqttCapture>(broker_.uri(), std::vector<std::string>{"dockgate/#"});
    sim_port_ = free_tcp_port();
    sim_ = std::make_unique<DoorSimProcess>(sim_port_, std::vector<std::string>{});
    y_.broker_uri = broker_.uri();
    y_.db_path = dir_.file("outbox.db");
    y_.tcp_server_port = free_tcp_port();
    y_.modbus_port = sim_port_;
    y_.extra_locations = "  - id: door-08\n    direction: outbound\n    gln_extension: DOOR08\n";
  }
  void start_agent() {
    if (!agent_) agent_ = std::make_unique<AgentProcess>(dir_, agent_yaml(y_));
    agent_->start();
    ASSERT_TRUE(agent_->wait_log("device door07-io up", 20s)) << agent_->log();
    ASSERT_TRUE(wait_for_port(y_.tcp_server_port, 10s)) << agent_->log();
    // A plan published live (not retained) before the SUBACK would never reach the agent.
    ASSERT_TRUE(agent_->wait_log("uplink: subscribed to 3 topic filter(s)", 15s)) << agent_->log();
  }
  void publish(const std::string& plan_id, const std::string& payload, bool retain) {
    ASSERT_EQ(broker_.publish(kPlansTopic + plan_id, payload, retain), "");
  }
  void set(const char* table, int address, int value) {
    ASSERT_EQ(sim_->command(std::string("set ") + table + " " + std::to_string(address) + " " +
                            std::to_string(value)),
              "ok");
  }
  bool coil_becomes(int address, const std::string& value, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (sim_->command("get coil " + std::to_string(address)) == value) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }
  // The exception types on the broker, device up/down (not under test) left out.
  std::multiset<std::string> exception_types() {
    std::multiset<std::string> out;
    for (const auto& m : capture_->on(kExceptionsTopic)) {
      const std::string type = Json::parse(m.payload)["type"];
      if (type.rfind("device_", 0) != 0) out.insert(type);
    }
    return out;
  }
  Json exception(const std::string& type) {
    CapturedMessage m;
    const bool ok = capture_->wait_for_match(
        kExceptionsTopic,
        [&](const CapturedMessage& c) { return Json::parse(c.payload)["type"] == type; }, 15s, &m);
    EXPECT_TRUE(ok) << "no " << type << " exception; agent log:\n" << agent_->log();
    return ok ? Json::parse(m.payload) : Json();
  }
  // The first event whose `key` is `value` (e.g. dg:milestone departing).
  Json event_with(const std::string& key, const std::string& name) {
    Json found;
    const bool ok = capture_->wait_until(
        [&](const std::vector<CapturedMessage>& all) {
          for (const auto& m : all) {
            if (m.topic != kEventsTopic) continue;
            for (const auto& e : events_of_message(m)) {
              if (e.value(key, std::string()) == name) {
                found = e;
                return true;
              }
            }
          }
          return false;
        },
        15s);
    EXPECT_TRUE(ok) << "no event with " << key << " " << name << " in "
                    << capture_->count(kEventsTopic) << " event message(s); agent log:\n"
                    << agent_->log();
    return found;
  }
  Json milestone(const std::string& name) { return event_with("dg:milestone", name); }
  // Waits until `n` events with `key` == `value` arrived.
  bool wait_events(const std::string& key, const std::string& value, std::size_t n) {
    return capture_->wait_until(
        [&](const std::vector<CapturedMessage>& all) {
          std::size_t seen = 0;
          for (const auto& m : all) {
            if (m.topic != kEventsTopic) continue;
            for (const auto& e : events_of_message(m)) seen += e.value(key, std::string()) == value;
          }
          return seen >= n;
        },
        15s);
  }
  Json door_plan(const std::string& door) {
    const Json st = agent_->status();
    const Json& list = st["plans"]["doors"][door];
    return list.empty() ? Json() : list[0];
  }

  TempDir dir_{"dockgate-plans"};
  MosquittoBroker broker_;
  std::unique_ptr<MqttCapture> capture_;
  std::uint16_t sim_port_ = 0;
  std::unique_ptr<DoorSimProcess> sim_;
  AgentYaml y_;
  std::unique_ptr<AgentProcess> agent_;
};

TEST_F(PlansEndToEnd, MisrouteIsRedAtOnceAndAShortDepartureNamesTheMissingPallet) {
  // Two plans published before the agent runs: retained, they arrive when it subscribes.
  publish("P7", plan("P7", "door-07", {1, 2, 3}).dump(), true);
  publish("P3", plan("P3", "door-08", {100}).dump(), true);
  start_agent();
  ASSERT_TRUE(agent_->wait_log("plan P7 revision 1 accepted", 15s)) << agent_->log();
  ASSERT_TRUE(agent_->wait_log("plan P3 revision 1 accepted", 15s)) << agent_->log();
  publish("BAD", R"({"planId":"BAD","revision":1,"direction":"sideways"})", true);
  EXPECT_NE(exception("plan_rejected")["reason"].get<std::string>().find("direction"),
            std::string::npos);

  set("di", 0, 1);  // trailer backs in at door-07
  set("di", 1, 1);  // door opens
  milestone("door_opened");
  TcpScanner scanner(y_.tcp_server_port);
  scanner.send("]C100" + sscc(1) + "\r\n");  // expected
  EXPECT_EQ(event_with("bizStep", "loading")["dg:planId"], "P7");
  EXPECT_TRUE(coil_becomes(0, "1", 5s)) << "green for the expected pallet";

  scanner.send("]C100" + sscc(100) + "\r\n");  // meant for door-08
  const auto sent = std::chrono::steady_clock::now();
  EXPECT_TRUE(coil_becomes(1, "1", 2s)) << "red for the misrouted pallet\n" << agent_->log();
  const auto to_red = std::chrono::steady_clock::now() - sent;
  const Json misrouted = exception("misrouted");
  EXPECT_EQ(misrouted["planId"], "P3");
  EXPECT_EQ(misrouted["doorPlanId"], "P7");
  EXPECT_EQ(misrouted["planDoors"], Json::array({"door-08"}));
  EXPECT_EQ(misrouted["locationId"], "door-07");
  EXPECT_EQ(misrouted["unit"], sscc(100));
  EXPECT_TRUE(misrouted.contains("gatewaySeq"));
  std::cout << "scan -> red coil: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(to_red).count() << " ms\n";

  scanner.send("]C100" + sscc(500) + "\r\n");  // in no plan
  EXPECT_EQ(exception("unexpected_unit")["unit"], sscc(500));
  scanner.send("]C100" + sscc(2) + "\r\n");
  ASSERT_TRUE(wait_events("dg:planId", "P7", 2)) << agent_->log();
  ASSERT_TRUE(agent_->wait_committed(agent_->status()["lastGatewaySeq"].get<std::uint64_t>(), 5s));
  const Json p7 = door_plan("door-07");
  EXPECT_EQ(p7["planId"], "P7");
  EXPECT_EQ(p7["expected"], 3);
  EXPECT_EQ(p7["read"], 2);
  EXPECT_EQ(p7["missing"], 1);
  EXPECT_EQ(door_plan("door-08")["deviations"], 1);  // P3's pallet went to the wrong door

  set("di", 1, 0);  // door closes
  milestone("door_closed");
  set("di", 0, 0);  // the trailer leaves one pallet short
  const Json departing = milestone("departing");
  EXPECT_EQ(departing["dg:planId"], "P7");
  EXPECT_EQ(departing["dg:expectedUnits"], 3);
  EXPECT_EQ(departing["dg:actualUnits"], 2);
  const Json shortage = exception("short_shipment");
  EXPECT_EQ(shortage["missingSsccs"], Json::array({sscc(3)}));
  EXPECT_EQ(shortage["relatedEventId"], departing["eventID"]);

  EXPECT_EQ(exception_types(), (std::multiset<std::string>{"misrouted", "plan_rejected",
                                                           "short_shipment", "unexpected_unit"}))
      << agent_->log();
  const Json st = agent_->status();
  EXPECT_EQ(st["plans"]["doors"]["door-07"][0]["finished"].is_string(), true);
}

TEST_F(PlansEndToEnd, KillNineMidVisitKeepsThePlanAndTheCountAndRaisesNothingTwice) {
  const std::string plans_dir = dir_.file("plans");
  std::filesystem::create_directories(plans_dir);
  y_.extra = "plans:\n  dir: " + plans_dir + "\n";
  {
    std::ofstream f(plans_dir + "/.P7.json.tmp");
    f << plan("P7", "door-07", {1, 2, 3}).dump();
  }
  std::filesystem::rename(plans_dir + "/.P7.json.tmp", plans_dir + "/P7.json");
  start_agent();
  ASSERT_TRUE(agent_->wait_log("plan P7 revision 1 accepted from file:P7.json", 15s))
      << agent_->log();
  // A plan only published live (not retained) must come back from the database.
  publish("P3", plan("P3", "door-08", {100}).dump(), false);
  ASSERT_TRUE(agent_->wait_log("plan P3 revision 1 accepted", 15s)) << agent_->log();

  set("di", 0, 1);
  set("di", 1, 1);
  milestone("door_opened");
  TcpScanner scanner(y_.tcp_server_port);
  scanner.send("]C100" + sscc(1) + "\r\n");
  scanner.send("]C100" + sscc(100) + "\r\n");  // misrouted, once
  exception("misrouted");
  scanner.send("]C100" + sscc(2) + "\r\n");
  ASSERT_TRUE(wait_events("bizStep", "loading", 3)) << agent_->log();

  agent_->kill();  // kill -9 mid-visit
  start_agent();
  ASSERT_TRUE(agent_->wait_log("2 plan(s) with", 15s)) << agent_->log();
  EXPECT_EQ(door_plan("door-07")["read"], 2);
  EXPECT_EQ(door_plan("door-08")["planId"], "P3");
  TcpScanner again(y_.tcp_server_port);
  again.send("]C100" + sscc(1) + "\r\n");  // a repeat of a counted pallet changes nothing
  ASSERT_TRUE(wait_events("dg:planCheck", "repeat", 1)) << agent_->log();
  set("di", 1, 0);
  milestone("door_closed");
  set("di", 0, 0);
  const Json shortage = exception("short_shipment");
  EXPECT_EQ(shortage["missingSsccs"], Json::array({sscc(3)}));
  std::this_thread::sleep_for(1s);  // anything raised twice would be on its way by now
  EXPECT_EQ(exception_types(), (std::multiset<std::string>{"misrouted", "short_shipment"}))
      << agent_->log();
}

}  // namespace
}  // namespace dockgate::test

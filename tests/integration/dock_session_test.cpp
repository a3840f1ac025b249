// SPDX-License-Identifier: Apache-2.0
// Dock sessions end to end: a pymodbus door simulator (an independent Modbus server) drives
// the real agent binary; milestones and exceptions arrive at a real broker, and the signal
// tower coils are read back from the simulator.
#include <gtest/gtest.h>

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

// The events in already captured messages (inside a wait_until predicate the capture is
// locked: events_of() would wait for itself).
std::vector<Json> events_in(const std::vector<CapturedMessage>& all) {
  std::vector<Json> out;
  for (const auto& m : all) {
    if (m.topic != kEventsTopic) continue;
    auto doc = Json::parse(m.payload, nullptr, false);
    if (doc.is_discarded()) continue;
    for (auto& e : doc["epcisBody"]["eventList"]) out.push_back(e);
  }
  return out;
}

class DockSession : public ::testing::Test {
 protected:
  void SetUp() override {
    capture_ = std::make_unique<MqttCapture>(broker_.uri(), std::vector<std::string>{"dockgate/#"});
    sim_port_ = free_tcp_port();
    sim_ = std::make_unique<DoorSimProcess>(sim_port_, std::vector<std::string>{});
    y_.broker_uri = broker_.uri();
    y_.db_path = dir_.file("outbox.db");
    y_.tcp_server_port = free_tcp_port();
    y_.modbus_port = sim_port_;
  }
  void start_agent() {
    agent_ = std::make_unique<AgentProcess>(dir_, agent_yaml(y_));
    agent_->start();
    ASSERT_TRUE(agent_->wait_log("device door07-io up", 20s)) << agent_->log();
    ASSERT_TRUE(wait_for_port(y_.tcp_server_port, 10s)) << agent_->log();
  }
  void set(const char* table, int address, int value) {
    ASSERT_EQ(sim_->command(std::string("set ") + table + " " + std::to_string(address) + " " +
                            std::to_string(value)),
              "ok");
  }
  // Waits for an event with this dg:milestone (the n-th one) and returns it.
  Json milestone(const std::string& name, std::size_t nth = 1) {
    Json found;
    const bool ok = capture_->wait_until(
        [&](const std::vector<CapturedMessage>& all) {
          std::size_t seen = 0;
          for (auto& e : events_in(all)) {
            if (e.value("dg:milestone", "") == name && ++seen == nth) {
              found = e;
              return true;
            }
          }
          return false;
        },
        15s);
    EXPECT_TRUE(ok) << "no " << name << " milestone; agent log:\n" << agent_->log();
    return found;
  }
  Json exception(const std::string& type) {
    CapturedMessage m;
    const bool ok = capture_->wait_for_match(
        kExceptionsTopic,
        [&](const CapturedMessage& c) { return Json::parse(c.payload)["type"] == type; }, 15s, &m);
    EXPECT_TRUE(ok) << "no " << type << " exception; agent log:\n" << agent_->log();
    return ok ? Json::parse(m.payload) : Json();
  }
  bool coil_becomes(int address, const std::string& value, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (sim_->command("get coil " + std::to_string(address)) == value) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  TempDir dir_{"dockgate-dock"};
  MosquittoBroker broker_;
  std::unique_ptr<MqttCapture> capture_;
  std::uint16_t sim_port_ = 0;
  std::unique_ptr<DoorSimProcess> sim_;
  AgentYaml y_;
  std::unique_ptr<AgentProcess> agent_;
};

TEST_F(DockSession, OutboundSessionArrivesLoadsThreeAndDepartsInOrder) {
  start_agent();
  set("di", 0, 1);  // trailer backs in
  const Json arriving = milestone("arriving");
  const std::string session = arriving["dg:dockSessionId"];
  EXPECT_EQ(arriving["bizStep"], "arriving");
  EXPECT_EQ(arriving["sensorElementList"][0]["sensorMetadata"]["deviceID"],
            "modbus-tcp://127.0.0.1:" + std::to_string(sim_port_) + "/unit/1");
  set("di", 1, 1);  // door opens
  EXPECT_EQ(milestone("door_opened")["dg:dockSessionId"], session);

  TcpScanner scanner(y_.tcp_server_port);
  for (unsigned i = 1; i <= 3; ++i) scanner.send("]C100" + sscc(i) + "\r\n");
  ASSERT_TRUE(capture_->wait_until(
      [&](const std::vector<CapturedMessage>& all) {
        std::size_t n = 0;
        for (auto& e : events_in(all)) n += e["bizStep"] == "loading";
        return n == 3;
      },
      15s))
      << agent_->log();
  EXPECT_TRUE(coil_becomes(0, "1", 5s)) << "green after the scans were committed";

  set("di", 1, 0);  // door closes
  set("di", 0, 0);  // trailer leaves
  const Json departing = milestone("departing");
  EXPECT_EQ(departing["dg:dockSessionId"], session);
  EXPECT_EQ(departing["bizStep"], "departing");
  EXPECT_EQ(departing["disposition"], "in_transit");
  EXPECT_EQ(departing["dg:handlingUnitCount"], 3);
  EXPECT_EQ(departing["epcList"],
            Json::array({"https://id.gs1.org/00/" + sscc(1), "https://id.gs1.org/00/" + sscc(2),
                         "https://id.gs1.org/00/" + sscc(3)}));

  // In order of gatewaySeq: arriving, door_opened, 3 x loading, door_closed, departing.
  std::vector<Json> events = events_of(*capture_, kEventsTopic);
  std::sort(events.begin(), events.end(),
            [](const Json& a, const Json& b) { return a["dg:gatewaySeq"] < b["dg:gatewaySeq"]; });
  std::vector<std::string> order;
  for (auto& e : events) {
    order.push_back(e["dg:milestone"]);
    EXPECT_EQ(e["dg:dockSessionId"], session) << e;
  }
  EXPECT_EQ(order, (std::vector<std::string>{"arriving", "door_opened", "warehouse_outbound",
                                             "warehouse_outbound", "warehouse_outbound",
                                             "door_closed", "departing"}));
}

TEST_F(DockSession, AgentKilledMidSessionClosesTheSameSessionAfterRestart) {
  start_agent();
  set("di", 0, 1);
  const std::string session = milestone("arriving")["dg:dockSessionId"];
  set("di", 1, 1);
  milestone("door_opened");
  {
    TcpScanner scanner(y_.tcp_server_port);
    scanner.send("]C100" + sscc(7) + "\r\n");
  }
  milestone("warehouse_outbound");
  const Json st = agent_->status()["dockSessions"]["door-07"];  // `dockgate status` shows it
  EXPECT_EQ(st["dockSessionId"], session);
  EXPECT_EQ(st["handlingUnits"], 1);
  EXPECT_EQ(st["doorOpen"], true);
  agent_->kill();  // SIGKILL mid-session

  agent_->start();
  ASSERT_TRUE(agent_->wait_log("device door07-io up", 20s)) << agent_->log();
  set("di", 1, 0);
  set("di", 0, 0);
  const Json departing = milestone("departing");
  EXPECT_EQ(departing["dg:dockSessionId"], session) << "the session was recovered";
  EXPECT_EQ(departing["epcList"], Json::array({"https://id.gs1.org/00/" + sscc(7)}));
  EXPECT_EQ(events_of(*capture_, kEventsTopic).size(), 5U)
      << "no second arriving after the restart:\n"
      << agent_->log();
}

TEST_F(DockSession, ConfigReloadMidSessionKeepsTheSession) {
  start_agent();
  set("di", 0, 1);
  const std::string session = milestone("arriving")["dg:dockSessionId"];
  y_.extra = "dock_sessions:\n  door_open_alarm: 10m\n";  // a core section and the drivers
  y_.tcp_server_port = free_tcp_port();
  agent_->rewrite_config(agent_yaml(y_));
  agent_->reload();
  ASSERT_TRUE(agent_->wait_log("config reloaded", 20s)) << agent_->log();
  ASSERT_TRUE(wait_for_port(y_.tcp_server_port, 10s)) << agent_->log();
  {
    TcpScanner scanner(y_.tcp_server_port);
    scanner.send("]C100" + sscc(9) + "\r\n");
  }
  EXPECT_EQ(milestone("warehouse_outbound")["dg:dockSessionId"], session);
  set("di", 0, 0);
  const Json departing = milestone("departing");
  EXPECT_EQ(departing["dg:dockSessionId"], session);
  EXPECT_EQ(departing["epcList"], Json::array({"https://id.gs1.org/00/" + sscc(9)}));
}

TEST_F(DockSession, ModbusServerLostMidSessionIsReportedAndTheSessionGoesOn) {
  start_agent();
  set("di", 0, 1);
  const std::string session = milestone("arriving")["dg:dockSessionId"];
  sim_.reset();  // the I/O module loses power
  const Json down = exception("device_down");
  EXPECT_EQ(down["driverId"], "door07-io");
  EXPECT_EQ(down["locationId"], "door-07");

  sim_ = std::make_unique<DoorSimProcess>(sim_port_, std::vector<std::string>{"--set", "di:0=1"});
  exception("device_up");
  set("di", 0, 0);
  const Json departing = milestone("departing");
  EXPECT_EQ(departing["dg:dockSessionId"], session);
  EXPECT_EQ(milestone("arriving", 1)["dg:dockSessionId"], session);
}

TEST_F(DockSession, DoorOpenWithoutTrailerLightsRedAndBuzzer) {
  start_agent();
  set("di", 1, 1);
  const Json ex = exception("door_open_without_trailer");
  EXPECT_EQ(ex["locationId"], "door-07");
  EXPECT_TRUE(coil_becomes(1, "1", 5s)) << "red";
  EXPECT_TRUE(coil_becomes(2, "1", 5s)) << "buzzer";
  EXPECT_EQ(sim_->command("get coil 0"), "0") << "no green";
}

}  // namespace
}  // namespace dockgate::test

// SPDX-License-Identifier: Apache-2.0
// Door labels end to end: the dockgate binary, a real mosquitto and a TCP handheld
// configured at door-07 (outbound). Scanning door 3's location label moves its next pallet
// to door-03 (receiving); an unknown door label and valid data without an object are
// exceptions of their own kinds, never invalid_barcode.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "tests/integration/agent_config_yaml.hpp"
#include "tests/integration/agent_harness.hpp"
#include "tests/integration/captured_events.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/mqtt_capture.hpp"
#include "tests/support/net.hpp"

namespace dockgate::test {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

TEST(DoorLabel, HandheldFollowsTheDoorLabelItScanned) {
  TempDir dir("dockgate-door-label");
  MosquittoBroker broker;
  MqttCapture capture(broker.uri(), {"dockgate/#"});
  ASSERT_TRUE(capture.wait_subscribed(10s));
  const std::uint16_t port = free_tcp_port();
  AgentYaml y;
  y.broker_uri = broker.uri();
  y.db_path = dir.file("outbox.db");
  y.tcp_server_port = port;  // a handheld configured at door-07
  AgentProcess agent(dir, agent_yaml(y));
  agent.start();
  ASSERT_TRUE(wait_for_port(port, 10s)) << agent.log();
  TcpScanner handheld(port);
  handheld.send("]C1414401234500001625410DOOR99\r\n");  // (254) 10DOOR99: no such door
  handheld.send("]C110LOT42\r\n");                      // a batch alone: no object
  handheld.send("]C14144012345000016254DOOR03\r\n");    // door 3's label
  handheld.send("]C100340123450000000420\r\n");         // counts at door-03 now
  ASSERT_TRUE(capture.wait_until(
      [](const auto& all) {
        const auto exceptions = std::count_if(
            all.begin(), all.end(), [](const auto& m) { return m.topic == kExceptionsTopic; });
        return event_count(all, kEventsTopic) >= 1 && exceptions >= 2;
      },
      15s))
      << agent.log();
  std::this_thread::sleep_for(500ms);
  const auto events = events_of(capture, kEventsTopic);
  ASSERT_EQ(events.size(), 1U) << "the door label itself is no event";
  EXPECT_EQ(events[0]["dg:locationId"], "door-03");
  EXPECT_EQ(events[0]["bizStep"], "receiving");
  EXPECT_EQ(events[0]["readPoint"]["id"], "https://id.gs1.org/414/4012345000016/254/DOOR03");
  std::vector<std::string> kinds;
  for (const auto& m : capture.on(kExceptionsTopic)) {
    kinds.push_back(Json::parse(m.payload).value("type", ""));
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"unknown_location_label", "no_object_identifier"}));
  EXPECT_NE(agent.log().find("door label scanned; its reads count at door-03"), std::string::npos)
      << agent.log();
}

}  // namespace
}  // namespace dockgate::test

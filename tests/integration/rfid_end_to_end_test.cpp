// SPDX-License-Identifier: Apache-2.0
// RFID end to end: the dockgate binary, a real mosquitto broker and the llrpjs reader
// simulator. One milestone per pallet pass, with the same Digital Link URI as its label,
// schema-valid; a label scan and a tag read of one SSCC at one door are one milestone.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>

#include "tests/integration/agent_config_yaml.hpp"
#include "tests/integration/agent_harness.hpp"
#include "tests/integration/captured_events.hpp"
#include "tests/integration/sscc.hpp"
#include "tests/support/epcis_schema.hpp"
#include "tests/support/llrp_reader_sim.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/mqtt_capture.hpp"
#include "tests/support/net.hpp"

namespace dockgate::test {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

std::string llrp_entry(const std::string& id, const std::string& location, std::uint16_t port,
                       const std::string& antennas) {
  return "  - id: " + id + "\n    type: llrp\n    location: " + location +
         "\n    host: 127.0.0.1\n    port: " + std::to_string(port) +
         "\n    keepalive: 1s\n    reconnect_min: 100ms\n    reconnect_max: 500ms\n"
         "    pass_gap: 1s\n" +
         antennas;
}

class RfidEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    capture_ = std::make_unique<MqttCapture>(broker_.uri(), std::vector<std::string>{"dockgate/#"});
    ASSERT_TRUE(capture_->wait_subscribed(10s));
  }
  /// Events received so far (not from inside a wait_until predicate: that holds the lock).
  std::size_t events() const { return event_count(capture_->all(), kEventsTopic); }

  TempDir dir_{"dockgate-rfid-e2e"};
  MosquittoBroker broker_;
  std::unique_ptr<MqttCapture> capture_;
};

TEST_F(RfidEndToEnd, TwoHundredPalletsThirtyReadsEachAreTwoHundredInboundMilestones) {
  LlrpReaderSim sim(Json{
      {"generate",
       {{"count", 200},
        {"sscc", {{"company_prefix", "4012345"}, {"filter", 6}, {"first_serial", 3000000001LL}}},
        {"repeats", 30},
        {"over_ms", 5000},
        {"start_ms", 200},
        {"antennas", {1, 2}},
        {"antenna_mode", "sequence"},
        {"batch_ms", 100},
        {"rssi", -50}}}});
  AgentYaml y;
  y.broker_uri = broker_.uri();
  y.db_path = dir_.file("outbox.db");
  y.extra_locations = "  - id: door-12\n    direction: both\n    gln_extension: DOOR12\n";
  y.extra_drivers = llrp_entry("rfid-door-12", "door-12", sim.port(),
                               "    antennas:\n      - {port: 1, role: outside}\n"
                               "      - {port: 2, role: inside}\n");
  AgentProcess agent(dir_, agent_yaml(y));
  agent.start();
  ASSERT_TRUE(capture_->wait_until(
      [](const auto& all) { return event_count(all, kEventsTopic) >= 200; }, 30s))
      << events() << " events\n"
      << agent.log();
  std::this_thread::sleep_for(2s);  // a 201st would come within pass_gap + a publish
  auto all = events_of(*capture_, kEventsTopic);
  ASSERT_EQ(all.size(), 200U);
  std::set<std::string> expected;
  for (unsigned n = 1; n <= 200; ++n) expected.insert("https://id.gs1.org/00/" + sscc(n));
  std::set<std::string> got;
  for (const auto& e : all) {
    ASSERT_EQ(e["epcList"].size(), 1U);
    got.insert(e["epcList"][0].get<std::string>());
    EXPECT_EQ(e["dg:source"], "rfid");
    EXPECT_EQ(e["dg:travelDirection"], "inbound");
    EXPECT_EQ(e["bizStep"], "receiving");  // door used both ways: the travel decides
    EXPECT_EQ(e["dg:milestone"], "warehouse_inbound");
    EXPECT_EQ(e["dg:readCount"], 30);
    EXPECT_EQ(e["readPoint"]["id"], "https://id.gs1.org/414/4012345000016/254/DOOR12");
    EXPECT_TRUE(e["dg:tagUri"].get<std::string>().starts_with("urn:epc:tag:sscc-96:6.4012345."));
  }
  EXPECT_EQ(got, expected);
  std::vector<std::string> documents;
  for (const auto& m : capture_->on(kEventsTopic)) documents.push_back(m.payload);
  EXPECT_EQ(epcis_schema_errors(documents), "");
}

TEST_F(RfidEndToEnd, LabelScanAndTagReadOfOnePalletAtOneDoorAreOneMilestone) {
  // SSCC-96 of SSCC 340123450000000420, read 400 ms after its label was scanned.
  LlrpReaderSim sim(Json{{"reports",
                          {{{"at_ms", 1500},
                            {"tags",
                             {{{"epc", "31D4F4E4E4B2D05E2A000000"},
                               {"antenna", 1},
                               {"rssi", -52},
                               {"first_seen_utc_ms", "now"}}}}}}}});
  const std::uint16_t scan_port = free_tcp_port();
  AgentYaml y;
  y.broker_uri = broker_.uri();
  y.db_path = dir_.file("outbox.db");
  y.tcp_server_port = scan_port;  // a handheld at door-07
  y.dedup_window = "10s";
  y.extra_drivers = llrp_entry("rfid-door-07", "door-07", sim.port(), "");
  AgentProcess agent(dir_, agent_yaml(y));
  agent.start();
  ASSERT_TRUE(wait_for_port(scan_port, 10s)) << agent.log();
  ASSERT_TRUE(sim.wait_for_received("ENABLE_ROSPEC", 10s)) << agent.log();
  TcpScanner handheld(scan_port);
  handheld.send("]C100340123450000000420\r\n");
  ASSERT_TRUE(capture_->wait_until(
      [](const auto& all) { return event_count(all, kEventsTopic) >= 1; }, 10s))
      << agent.log();
  // The tag pass ends pass_gap (1 s) after the read at 1.5 s: it is counted as a repeat
  // (status suppressedRepeats), not published and not lost on the way.
  ASSERT_TRUE(capture_->wait_until(
      [](const std::vector<CapturedMessage>& all) {
        for (const auto& m : all) {
          if (m.topic != kStatusTopic) continue;
          auto j = Json::parse(m.payload, nullptr, false);
          if (!j.is_discarded() && j.value("suppressedRepeats", 0) >= 1) return true;
        }
        return false;
      },
      15s))
      << agent.log();
  std::this_thread::sleep_for(1s);
  auto all = events_of(*capture_, kEventsTopic);
  ASSERT_EQ(all.size(), 1U) << all.back().dump();
  EXPECT_EQ(all[0]["epcList"][0], "https://id.gs1.org/00/340123450000000420");
  EXPECT_EQ(all[0]["dg:symbologyId"], "]C1");
}

}  // namespace
}  // namespace dockgate::test

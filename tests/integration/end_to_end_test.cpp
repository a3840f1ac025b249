// SPDX-License-Identifier: Apache-2.0
// Scans through the real agent binary into a real broker: serial (socat pty) and TCP in
// both modes, duplicate suppression, invalid barcodes, device unplug/replug, graceful stop.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "tests/integration/agent_config_yaml.hpp"
#include "tests/integration/agent_harness.hpp"
#include "tests/integration/captured_events.hpp"
#include "tests/integration/sscc.hpp"
#include "tests/support/epcis_schema.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/mqtt_capture.hpp"
#include "tests/support/net.hpp"

namespace dockgate::test {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;

class EndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    capture_ = std::make_unique<MqttCapture>(broker_.uri(), std::vector<std::string>{"dockgate/#"});
  }
  void wait_events(std::size_t n) {
    ASSERT_TRUE(capture_->wait_until(
        [&](const auto& all) { return event_count(all, kEventsTopic) >= n; }, 10s))
        << "agent log:\n"
        << (agent_ ? agent_->log() : "");
  }

  TempDir dir_{"dockgate-e2e"};
  MosquittoBroker broker_;
  std::unique_ptr<MqttCapture> capture_;
  std::unique_ptr<AgentProcess> agent_;
};

TEST_F(EndToEnd, SerialAndBothTcpModesArriveAsEpcisEvents) {
  PtyPair pty(dir_.path(), "ttyScan0");
  pty.start();
  TcpScannerServer fixed_mount;  // the agent connects to it (client mode)
  const std::uint16_t server_port = free_tcp_port();
  AgentYaml y;
  y.broker_uri = broker_.uri();
  y.db_path = dir_.file("outbox.db");
  y.serial_device = pty.device();
  y.tcp_server_port = server_port;
  y.tcp_client_port = fixed_mount.port();
  agent_ = std::make_unique<AgentProcess>(dir_, agent_yaml(y));
  agent_->start();
  ASSERT_TRUE(wait_for_port(server_port, 10s)) << agent_->log();

  pty.write("]C100340123450000000420\r\n");
  TcpScanner handheld(server_port);
  handheld.send(
      "]d20104012345111118"
      "10LOT7\x1d"
      "219876\r\n");
  fixed_mount.send("]Q1https://labels.example.com/00/340123450000000437\n");
  wait_events(3);

  auto events = events_of(*capture_, kEventsTopic);
  ASSERT_EQ(events.size(), 3U);
  std::map<std::string, Json> by_driver;
  for (auto& e : events) by_driver[e["dg:driverId"].get<std::string>()] = e;

  const Json& serial = by_driver.at("door03-serial");
  EXPECT_EQ(serial["type"], "ObjectEvent");
  EXPECT_EQ(serial["bizStep"], "receiving");
  EXPECT_EQ(serial["readPoint"]["id"], "https://id.gs1.org/414/4012345000016/254/DOOR03");
  EXPECT_EQ(serial["epcList"], Json::array({"https://id.gs1.org/00/340123450000000420"}));
  EXPECT_EQ(serial["dg:symbologyId"], "]C1");
  EXPECT_EQ(serial["eventTimeZoneOffset"], "+01:00");

  const Json& server = by_driver.at("door07-net");
  EXPECT_EQ(server["bizStep"], "loading");
  EXPECT_EQ(server["dg:milestone"], "warehouse_outbound");
  EXPECT_EQ(server["readPoint"]["id"], "https://id.gs1.org/414/4012345000016/254/DOOR07");
  EXPECT_EQ(server["epcList"][0], "https://id.gs1.org/01/04012345111118/21/9876");

  const Json& client = by_driver.at("door03-net");
  EXPECT_EQ(client["bizStep"], "receiving");
  EXPECT_EQ(client["epcList"][0], "https://id.gs1.org/00/340123450000000437");

  // The whole message is an EPCIS document with the dockgate namespace.
  auto doc = Json::parse(capture_->on(kEventsTopic).front().payload);
  EXPECT_EQ(doc["type"], "EPCISDocument");
  EXPECT_EQ(doc["@context"][1]["dg"], "https://dockgate.dev/ns/");
  // ...valid against the GS1 EPCIS 2.0 JSON schema, checked by an independent validator.
  std::vector<std::string> documents;
  for (const auto& m : capture_->on(kEventsTopic)) documents.push_back(m.payload);
  EXPECT_EQ(epcis_schema_errors(documents), "");

  // Rows are deleted once acknowledged.
  for (int i = 0; i < 100 && agent_->status()["backlogCount"] != 0; ++i)
    std::this_thread::sleep_for(50ms);
  EXPECT_EQ(agent_->status()["backlogCount"], 0);
}

TEST_F(EndToEnd, RepeatsSuppressedAndInvalidBarcodeBecomesException) {
  const std::uint16_t port = free_tcp_port();
  AgentYaml y;
  y.broker_uri = broker_.uri();
  y.db_path = dir_.file("outbox.db");
  y.tcp_server_port = port;
  y.dedup_window = "5s";
  agent_ = std::make_unique<AgentProcess>(dir_, agent_yaml(y));
  agent_->start();
  TcpScanner scanner(port, 10s);
  scanner.send("]C100340123450000000420\r\n]C100340123450000000420\r\n");
  scanner.send("]C100340123450000000421\r\n");  // bad SSCC check digit
  scanner.send("]C0LP00012345\r\n");            // accepted by the site pattern
  ASSERT_TRUE(capture_->wait_for(kExceptionsTopic, 1, 10s)) << agent_->log();
  wait_events(2);

  auto ex = Json::parse(capture_->on(kExceptionsTopic).front().payload);
  EXPECT_EQ(ex["type"], "invalid_barcode");
  EXPECT_NE(ex["reason"].get<std::string>().find("check digit"), std::string::npos) << ex;
  EXPECT_EQ(ex["locationId"], "door-07");
  EXPECT_EQ(ex["driverId"], "door07-net");
  EXPECT_EQ(ex["rawDataBase64"], "MDAzNDAxMjM0NTAwMDAwMDA0MjE=");
  EXPECT_EQ(ex["gatewaySeq"], 2);

  std::this_thread::sleep_for(300ms);
  auto events = events_of(*capture_, kEventsTopic);
  ASSERT_EQ(events.size(), 2U);  // the repeat was not sent
  EXPECT_EQ(events[0]["dg:gatewaySeq"], 1);
  EXPECT_EQ(events[1]["epcList"][0], "urn:dockgate:lp:00012345");
  EXPECT_EQ(events[1]["dg:gatewaySeq"], 3);

  // The retained status counts the suppressed repeat.
  CapturedMessage st;
  ASSERT_TRUE(capture_->wait_for_match(
      kStatusTopic,
      [](const CapturedMessage& m) {
        auto j = Json::parse(m.payload, nullptr, false);
        return !j.is_discarded() && j.value("suppressedRepeats", 0) == 1;
      },
      5s, &st));
}

TEST_F(EndToEnd, UnpluggedSerialScannerIsReopenedWhenItReturns) {
  PtyPair pty(dir_.path(), "ttyScan1");
  pty.start();
  AgentYaml y;
  y.broker_uri = broker_.uri();
  y.db_path = dir_.file("outbox.db");
  y.serial_device = pty.device();
  agent_ = std::make_unique<AgentProcess>(dir_, agent_yaml(y));
  agent_->start();
  ASSERT_TRUE(agent_->wait_log("device door03-serial up", 20s)) << agent_->log();
  pty.write("]C100340123450000000420\r\n");
  wait_events(1);

  pty.unplug();
  CapturedMessage down;
  ASSERT_TRUE(capture_->wait_for_match(
      kExceptionsTopic,
      [](const CapturedMessage& m) { return Json::parse(m.payload)["type"] == "device_down"; }, 10s,
      &down))
      << agent_->log();
  EXPECT_EQ(Json::parse(down.payload)["driverId"], "door03-serial");

  pty.start();  // plugged back in under the same name
  ASSERT_TRUE(capture_->wait_for_match(
      kExceptionsTopic,
      [](const CapturedMessage& m) { return Json::parse(m.payload)["type"] == "device_up"; }, 10s))
      << agent_->log();
  pty.write("]C100340123450000000437\r\n");
  wait_events(2);
  EXPECT_EQ(events_of(*capture_, kEventsTopic).back()["epcList"][0],
            "https://id.gs1.org/00/340123450000000437");
}

TEST_F(EndToEnd, CameraSnapshotInSpoolFolderBecomesMilestone) {
  const std::string spool = dir_.file("spool");
  std::filesystem::create_directories(spool);
  AgentYaml y;
  y.broker_uri = broker_.uri();
  y.db_path = dir_.file("outbox.db");
  y.camera_spool = spool;
  agent_ = std::make_unique<AgentProcess>(dir_, agent_yaml(y));
  agent_->start();
  // A GS1-128 pallet label made by zint, uploaded the way FTP servers do: write, then rename.
  SpawnOptions zint_args;
  zint_args.args = {"zint",
                    "-b",
                    "16",
                    "--gs1",
                    "--height=50",
                    "-d",
                    "[00]340123450000000444",
                    "-o",
                    dir_.file("label.png")};
  Subprocess zint(zint_args);
  auto st = zint.wait_for(10s);
  ASSERT_TRUE(st && st->success());
  std::filesystem::rename(dir_.file("label.png"), spool + "/snap-1.png");
  wait_events(1);
  auto e = events_of(*capture_, kEventsTopic).front();
  EXPECT_EQ(e["bizStep"], "loading");
  EXPECT_EQ(e["epcList"][0], "https://id.gs1.org/00/340123450000000444");
  EXPECT_EQ(e["dg:symbologyId"], "]C1");
  EXPECT_EQ(e["dg:driverId"], "door07-camera");
  EXPECT_TRUE(std::filesystem::exists(spool + "/done/snap-1.png"));
}

TEST_F(EndToEnd, SigtermStopsWithinTwoSecondsAndMarksOffline) {
  const std::uint16_t port = free_tcp_port();
  AgentYaml y;
  y.broker_uri = broker_.uri();
  y.db_path = dir_.file("outbox.db");
  y.tcp_server_port = port;
  agent_ = std::make_unique<AgentProcess>(dir_, agent_yaml(y));
  agent_->start();
  ASSERT_TRUE(capture_->wait_for_match(
      kStatusTopic,
      [](const CapturedMessage& m) { return Json::parse(m.payload)["online"] == true; }, 10s));
  {
    TcpScanner scanner(port, 10s);
    for (int i = 0; i < 50; ++i) {
      scanner.send("]C100" + sscc(static_cast<unsigned>(i)) + "\r\n");
    }
  }
  std::chrono::milliseconds took{};
  ExitStatus st = agent_->terminate(&took);
  EXPECT_TRUE(st.success()) << st.describe() << agent_->log();
  EXPECT_LT(took.count(), 2000);
  EXPECT_TRUE(capture_->wait_for_match(
      kStatusTopic,
      [](const CapturedMessage& m) { return Json::parse(m.payload)["online"] == false; }, 5s));
  // Whatever was not yet published is still in the buffer: nothing accepted is lost.
  auto status = agent_->status();
  std::this_thread::sleep_for(200ms);
  std::set<std::uint64_t> published;
  for (const auto& e : events_of(*capture_, kEventsTopic))
    published.insert(e["dg:gatewaySeq"].get<std::uint64_t>());
  EXPECT_EQ(status["lastGatewaySeq"], 50);
  EXPECT_EQ(status["backlogCount"].get<std::size_t>() + published.size(), 50U);
}

}  // namespace
}  // namespace dockgate::test

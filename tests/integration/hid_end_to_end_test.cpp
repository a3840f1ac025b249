// SPDX-License-Identifier: Apache-2.0
// A keyboard-wedge scan through the real agent into the broker: recorded input_event
// records replayed through a FIFO, the hid_scanner's replay path (no /dev/uinput here).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include "tests/drivers/hid_events.hpp"
#include "tests/drivers/hid_fifo_writer.hpp"
#include "tests/integration/agent_config_yaml.hpp"
#include "tests/integration/agent_harness.hpp"
#include "tests/integration/captured_events.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/mqtt_capture.hpp"

namespace dockgate::test {
namespace {

using namespace std::chrono_literals;
namespace hid = dockgate::drivers::test;

TEST(HidEndToEnd, KeyboardWedgeScanArrivesAsReceivingEvent) {
  TempDir dir("dockgate-hid-e2e");
  MosquittoBroker broker;
  MqttCapture capture(broker.uri(), {"dockgate/#"});
  const std::string fifo = dir.file("kbd");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  AgentYaml y;
  y.broker_uri = broker.uri();
  y.db_path = dir.file("outbox.db");
  y.hid_device = fifo;
  AgentProcess agent(dir, agent_yaml(y));
  agent.start();

  // The writer can open the FIFO once the driver has opened it for reading.
  std::unique_ptr<hid::FifoWriter> writer;
  for (int i = 0; i < 100 && !writer; ++i) {
    try {
      writer = std::make_unique<hid::FifoWriter>(fifo);
    } catch (const std::runtime_error&) {
      std::this_thread::sleep_for(50ms);
    }
  }
  ASSERT_TRUE(writer) << agent.log();
  writer->write(
      hid::to_bytes(hid::key_events(hid::us_strokes("]C10104012345111118"
                                                    "10LOT7\x1d"
                                                    "2112345\n"))));

  ASSERT_TRUE(
      capture.wait_until([](const auto& all) { return event_count(all, kEventsTopic) >= 1; }, 10s))
      << agent.log();
  auto e = events_of(capture, kEventsTopic).front();
  EXPECT_EQ(e["bizStep"], "receiving");
  EXPECT_EQ(e["dg:driverId"], "door03-wedge");
  EXPECT_EQ(e["dg:symbologyId"], "]C1");
  EXPECT_EQ(e["epcList"][0], "https://id.gs1.org/01/04012345111118/21/12345");
  EXPECT_EQ(e["dg:rawData"],
            "0104012345111118"
            "10LOT7\x1d"
            "2112345");
}

}  // namespace
}  // namespace dockgate::test

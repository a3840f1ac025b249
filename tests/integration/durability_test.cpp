// SPDX-License-Identifier: Apache-2.0
// The promise: broker down, 1,000 scans, agent killed with SIGKILL halfway and restarted,
// broker started -> all 1,000 arrive, per door in scan order, gatewaySeq without gaps.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>

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

constexpr unsigned kScans = 1000;

TEST(Durability, BrokerDownKillAndRestartLosesNothing) {
  TempDir dir("dockgate-durability");
  MosquittoBroker broker;
  const std::string uri = broker.uri();
  broker.stop();  // the central broker is down from the start

  PtyPair pty(dir.path(), "ttyScan0");  // door-03 (inbound)
  pty.start();
  const std::uint16_t port = free_tcp_port();  // door-07 (outbound)
  AgentYaml y;
  y.broker_uri = uri;
  y.db_path = dir.file("outbox.db");
  y.serial_device = pty.device();
  y.tcp_server_port = port;
  AgentProcess agent(dir, agent_yaml(y));
  agent.start();

  // Scans alternate between the doors; each door sees its own ascending serials.
  auto send_range = [&](unsigned from, unsigned to) {
    TcpScanner net(port, 10s);
    for (unsigned i = from; i < to; ++i) {
      const std::string frame = "]C100" + sscc(i) + "\r\n";
      if (i % 2 == 0) {
        pty.write(frame);
      } else {
        net.send(frame);
      }
    }
  };
  ASSERT_TRUE(wait_for_port(port, 10s)) << agent.log();
  ASSERT_TRUE(agent.wait_log("device door03-serial up", 20s))
      << agent.log();  // serial driver opened the pty
  send_range(0, kScans / 2);
  ASSERT_TRUE(agent.wait_committed(kScans / 2, 20s)) << agent.log();
  agent.kill();  // SIGKILL: no shutdown, no flush

  agent.start();
  ASSERT_TRUE(wait_for_port(port, 10s)) << agent.log();
  ASSERT_TRUE(agent.wait_log("device door03-serial up", 20s)) << agent.log();
  send_range(kScans / 2, kScans);
  ASSERT_TRUE(agent.wait_committed(kScans, 20s)) << agent.log();
  EXPECT_EQ(agent.status()["backlogCount"], kScans);

  MqttCapture capture(uri, {"dockgate/#"}, {});  // connects once the broker is up
  broker.start();
  ASSERT_TRUE(capture.wait_until(
      [](const auto& all) { return event_count(all, kEventsTopic) >= kScans; }, 60s))
      << agent.log();

  std::set<std::uint64_t> seqs;
  std::set<std::string> ids;
  std::map<std::string, unsigned> last_serial_by_door;
  for (const auto& e : events_of(capture, kEventsTopic)) {
    const auto seq = e["dg:gatewaySeq"].get<std::uint64_t>();
    if (!seqs.insert(seq).second) continue;  // a re-delivery after reconnect: same seq, skip
    ids.insert(e["eventID"].get<std::string>());
    const std::string epc = e["epcList"][0];
    const unsigned serial = static_cast<unsigned>(std::stoul(epc.substr(epc.size() - 10, 9)));
    const std::string door = e["dg:locationId"];
    auto it = last_serial_by_door.find(door);
    if (it != last_serial_by_door.end()) {
      EXPECT_GT(serial, it->second) << "order at " << door;
    }
    last_serial_by_door[door] = serial;
    EXPECT_EQ(serial % 2 == 0 ? "door-03" : "door-07", door);
  }
  EXPECT_EQ(seqs.size(), kScans);
  EXPECT_EQ(*seqs.begin(), 1U);
  EXPECT_EQ(*seqs.rbegin(), kScans);  // 1..1000 with no gap
  EXPECT_EQ(ids.size(), kScans);      // one eventID per scan

  for (int i = 0; i < 100 && agent.status()["backlogCount"] != 0; ++i)
    std::this_thread::sleep_for(50ms);
  EXPECT_EQ(agent.status()["backlogCount"], 0);
}

TEST(Durability, KillDuringDrainRedeliversWithSameIds) {
  TempDir dir("dockgate-drain-kill");
  MosquittoBroker broker;
  const std::string uri = broker.uri();
  broker.stop();
  const std::uint16_t port = free_tcp_port();
  AgentYaml y;
  y.broker_uri = uri;
  y.db_path = dir.file("outbox.db");
  y.tcp_server_port = port;
  AgentProcess agent(dir, agent_yaml(y));
  agent.start();
  {
    TcpScanner net(port, 10s);
    for (unsigned i = 0; i < 3000; ++i) net.send("]C100" + sscc(i) + "\r\n");
  }
  ASSERT_TRUE(agent.wait_committed(3000, 30s)) << agent.log();

  MqttCapture capture(uri, {"dockgate/#"}, {});
  broker.start();
  ASSERT_TRUE(
      capture.wait_until([](const auto& all) { return event_count(all, kEventsTopic) > 0; }, 20s));
  agent.kill();  // mid-drain
  agent.start();
  ASSERT_TRUE(capture.wait_until(
      [](const auto& all) {
        std::set<std::uint64_t> s;
        for (const auto& m : all) {
          if (m.topic != kEventsTopic) continue;
          const Json doc = Json::parse(m.payload);  // keep alive: the loop walks into it
          for (const auto& e : doc["epcisBody"]["eventList"]) {
            s.insert(e["dg:gatewaySeq"].template get<std::uint64_t>());
          }
        }
        return s.size() >= 3000;
      },
      60s))
      << "captured " << events_of(capture, kEventsTopic).size() << " events in "
      << capture.count(kEventsTopic) << " messages\n"
      << agent.log();
  std::map<std::uint64_t, std::string> id_by_seq;
  for (const auto& e : events_of(capture, kEventsTopic)) {
    const auto seq = e["dg:gatewaySeq"].get<std::uint64_t>();
    auto [it, inserted] = id_by_seq.emplace(seq, e["eventID"]);
    if (!inserted) {
      EXPECT_EQ(it->second, e["eventID"]) << "a re-delivery must keep its eventID";
    }
  }
  EXPECT_EQ(id_by_seq.size(), 3000U);
  EXPECT_EQ(id_by_seq.rbegin()->first, 3000U);
}

}  // namespace
}  // namespace dockgate::test

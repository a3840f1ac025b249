// SPDX-License-Identifier: Apache-2.0
// SIGHUP config reload through the real binary: a valid change (broker and scanner port)
// applies without losing buffered events; a broken file is reported and changes nothing.
#include <gtest/gtest.h>

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

bool accepts(std::uint16_t port) {
  try {
    TcpScanner probe(port, 200ms);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

TEST(ConfigReload, ValidChangeAppliesAndBufferedEventsAllArrive) {
  TempDir dir("dockgate-reload");
  MosquittoBroker broker;
  MqttCapture capture(broker.uri(), {"dockgate/#"});
  AgentYaml y;
  y.broker_uri = "tcp://127.0.0.1:" + std::to_string(free_tcp_port());  // nobody listens
  y.db_path = dir.file("outbox.db");
  y.tcp_server_port = free_tcp_port();
  AgentProcess agent(dir, agent_yaml(y));
  agent.start();
  ASSERT_TRUE(wait_for_port(y.tcp_server_port, 10s)) << agent.log();
  {
    TcpScanner scanner(y.tcp_server_port);
    for (unsigned i = 0; i < 20; ++i) scanner.send("]C100" + sscc(i) + "\r\n");
  }
  ASSERT_TRUE(agent.wait_committed(20, 20s)) << agent.log();

  const std::uint16_t old_port = y.tcp_server_port;
  y.broker_uri = broker.uri();
  y.tcp_server_port = free_tcp_port();
  agent.rewrite_config(agent_yaml(y));
  agent.reload();
  ASSERT_TRUE(agent.wait_log("config reloaded", 20s)) << agent.log();
  ASSERT_TRUE(wait_for_port(y.tcp_server_port, 10s)) << agent.log();
  EXPECT_FALSE(accepts(old_port)) << "the old listener is closed";
  {
    TcpScanner scanner(y.tcp_server_port);
    for (unsigned i = 20; i < 25; ++i) scanner.send("]C100" + sscc(i) + "\r\n");
  }
  ASSERT_TRUE(
      capture.wait_until([](const auto& all) { return event_count(all, kEventsTopic) >= 25; }, 30s))
      << agent.log();
  std::set<std::uint64_t> seqs;
  std::set<std::string> ids;
  for (const auto& e : events_of(capture, kEventsTopic)) {
    seqs.insert(e["dg:gatewaySeq"].get<std::uint64_t>());
    ids.insert(e["eventID"].get<std::string>());
  }
  EXPECT_EQ(seqs.size(), 25U);
  EXPECT_EQ(*seqs.rbegin(), 25U);
  EXPECT_EQ(ids.size(), 25U);
  EXPECT_TRUE(agent.running());
}

TEST(ConfigReload, BrokenFileIsReportedAndTheRunningConfigStays) {
  TempDir dir("dockgate-reload");
  MosquittoBroker broker;
  MqttCapture capture(broker.uri(), {"dockgate/#"});
  AgentYaml y;
  y.broker_uri = broker.uri();
  y.db_path = dir.file("outbox.db");
  y.tcp_server_port = free_tcp_port();
  AgentProcess agent(dir, agent_yaml(y));
  agent.start();
  ASSERT_TRUE(wait_for_port(y.tcp_server_port, 10s)) << agent.log();
  TcpScanner scanner(y.tcp_server_port);
  scanner.send("]C100" + sscc(1) + "\r\n");
  ASSERT_TRUE(
      capture.wait_until([](const auto& all) { return event_count(all, kEventsTopic) >= 1; }, 10s))
      << agent.log();

  AgentYaml broken = y;
  broken.dedup_window = "soon";
  broken.tcp_server_port = free_tcp_port();
  agent.rewrite_config(agent_yaml(broken));
  agent.reload();
  ASSERT_TRUE(agent.wait_log("stays in force", 20s)) << agent.log();
  EXPECT_NE(agent.log().find("dedup_window"), std::string::npos) << "the error names the key";

  scanner.send("]C100" + sscc(2) + "\r\n");  // same connection, same listener
  ASSERT_TRUE(
      capture.wait_until([](const auto& all) { return event_count(all, kEventsTopic) >= 2; }, 10s))
      << agent.log();
  EXPECT_FALSE(accepts(broken.tcp_server_port)) << "nothing of the broken file applied";
  EXPECT_TRUE(agent.running());
}

}  // namespace
}  // namespace dockgate::test

// SPDX-License-Identifier: Apache-2.0
// A flood of network scans (a batch upload, a scanner gateway replaying its memory) faster
// than the buffer can commit: the agent paces the TCP connection (reads pause while the
// writer is behind) instead of queueing without bound or rejecting scans it was sent.
#include <gtest/gtest.h>

#include <chrono>

#include "tests/integration/agent_config_yaml.hpp"
#include "tests/integration/agent_harness.hpp"
#include "tests/integration/sscc.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/net.hpp"

namespace dockgate::test {
namespace {

using namespace std::chrono_literals;

TEST(Flood, ScansFasterThanTheBufferCommitsArePacedNotRejected) {
  constexpr unsigned kScans = 30'000;
  TempDir dir("dockgate-flood");
  MosquittoBroker broker;
  const std::uint16_t port = free_tcp_port();
  AgentYaml y;
  y.broker_uri = broker.uri();
  // A small memory queue (reads pause above 500 waiting records): without back-pressure most
  // of the flood would be rejected. Each group commit is held open for 200 ms, so the writer
  // falls behind the flood on any machine (CI, with commits of 2 ms on a fast disk, kept up
  // and reads never paused); only then does the test show anything.
  y.db_path = dir.file("outbox.db") +
              "\n  max_queued_records: 1000\n  commit_max_delay: 200ms\n  commit_max_rows: 100000";
  y.tcp_server_port = port;
  AgentProcess agent(dir, agent_yaml(y));
  agent.start();
  ASSERT_TRUE(wait_for_port(port, 10s)) << agent.log();

  std::string frames;
  frames.reserve(kScans * 25);
  for (unsigned i = 0; i < kScans; ++i) frames += "]C100" + sscc(i) + "\r\n";
  {
    TcpScanner scanner(port);
    scanner.send(frames);  // as fast as the socket takes it
  }
  ASSERT_TRUE(agent.wait_committed(kScans, 120s)) << agent.status().dump();
  const auto status = agent.status();
  EXPECT_EQ(status["lastGatewaySeq"], kScans);
  EXPECT_EQ(status["rejectedTotal"], 0) << "scans the scanner sent were thrown away";
  EXPECT_NE(agent.log().find("reads paused"), std::string::npos)
      << "the flood never outran the writer: the test proves nothing on this machine";
}

}  // namespace
}  // namespace dockgate::test

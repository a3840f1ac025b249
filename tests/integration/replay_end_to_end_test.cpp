// SPDX-License-Identifier: Apache-2.0
// Replay on request through the real agent: delivered milestones are kept (the daemon's
// default), a consumer asks for a range on cmd/replay and gets the same eventIDs and
// gatewaySeqs again plus an answer naming what is gone; the kept rows survive kill -9.
#include <gtest/gtest.h>

#include <map>
#include <thread>

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

constexpr const char* kReplay = "dockgate/hub-test/gw-it/cmd/replay";
constexpr const char* kResponse = "dockgate/hub-test/gw-it/cmd/replay/response";

/// eventID -> gatewaySeq of every event received so far (a re-sent one keeps its pair).
std::map<std::string, std::uint64_t> ids_and_seqs(const MqttCapture& capture) {
  std::map<std::string, std::uint64_t> out;
  for (const auto& e : events_of(capture, kEventsTopic)) {
    out[e["eventID"].get<std::string>()] = e["dg:gatewaySeq"].get<std::uint64_t>();
  }
  return out;
}

class ReplayEndToEnd : public ::testing::Test {
 protected:
  void start_agent() {
    if (!agent_) {
      AgentYaml y;
      y.broker_uri = broker_.uri();
      y.db_path = dir_.file("outbox.db");
      y.tcp_server_port = scanner_port_;
      agent_ = std::make_unique<AgentProcess>(dir_, agent_yaml(y));
    }
    agent_->start();
    ASSERT_TRUE(wait_for_port(scanner_port_, 10s)) << agent_->log();
    ASSERT_TRUE(agent_->wait_log("subscribed to 3 topic filter(s)", 10s)) << agent_->log();
  }
  /// Asks for [from, to] and returns the answer.
  Json replay(std::uint64_t from, std::uint64_t to, const std::string& id) {
    EXPECT_EQ(broker_.publish(
                  kReplay, Json{{"fromSeq", from}, {"toSeq", to}, {"requestId", id}}.dump(), false),
              "");
    CapturedMessage m;
    const bool got = capture_.wait_for_match(
        kResponse,
        [&](const CapturedMessage& msg) {
          const Json j = Json::parse(msg.payload, nullptr, false);
          return j.is_object() && j.value("requestId", "") == id;
        },
        15s, &m);
    EXPECT_TRUE(got) << agent_->log();
    return got ? Json::parse(m.payload) : Json();
  }

  TempDir dir_{"dockgate-replay-e2e"};
  MosquittoBroker broker_;
  MqttCapture capture_{broker_.uri(), {"dockgate/#"}};
  std::uint16_t scanner_port_ = free_tcp_port();
  std::unique_ptr<AgentProcess> agent_;
};

TEST_F(ReplayEndToEnd, AConsumerGetsARangeAgainWithTheSameIdsAndLearnsWhatIsGone) {
  start_agent();
  TcpScanner scanner(scanner_port_);
  for (unsigned i = 1; i <= 5; ++i) scanner.send("]C100" + sscc(100 + i) + "\r\n");
  ASSERT_TRUE(capture_.wait_until(
      [](const auto& all) { return event_count(all, kEventsTopic) >= 5; }, 10s));
  ASSERT_TRUE(agent_->wait_committed(5, 10s));
  const auto first = ids_and_seqs(capture_);
  ASSERT_EQ(first.size(), 5U);
  const std::uint64_t last = agent_->status()["lastGatewaySeq"].get<std::uint64_t>();
  for (int i = 0; i < 100 && agent_->status()["backlogCount"] != 0; ++i) {
    std::this_thread::sleep_for(50ms);
  }
  capture_.clear();

  const Json a = replay(1, last + 3, "e2e-1");
  EXPECT_EQ(a["status"], "done") << a.dump();
  EXPECT_EQ(a["republished"], last) << a.dump();
  EXPECT_EQ(a["pending"], 0);
  EXPECT_EQ(a["unavailableCount"], 3);
  EXPECT_EQ(a["unavailable"], Json::parse(R"([{"fromSeq":)" + std::to_string(last + 1) +
                                          R"(,"toSeq":)" + std::to_string(last + 3) + "}]"));
  // Every milestone came again, with its original eventID and gatewaySeq.
  ASSERT_TRUE(
      capture_.wait_until([](const auto& all) { return event_count(all, kEventsTopic) >= 5; }, 5s));
  EXPECT_EQ(ids_and_seqs(capture_), first);

  // kill -9: the kept rows are in the database, not in memory.
  agent_->kill();
  capture_.clear();
  start_agent();
  const Json b = replay(first.begin()->second, first.begin()->second, "e2e-2");
  EXPECT_EQ(b["republished"], 1) << b.dump();
  ASSERT_TRUE(
      capture_.wait_until([](const auto& all) { return event_count(all, kEventsTopic) >= 1; }, 5s));
  EXPECT_EQ(ids_and_seqs(capture_).begin()->first, first.begin()->first);

  // A malformed request gets a clear refusal; the agent carries on.
  const Json bad = replay(9, 1, "e2e-bad");
  EXPECT_EQ(bad["status"], "rejected");
  EXPECT_TRUE(agent_->running());
  EXPECT_TRUE(agent_->terminate().success());
}

}  // namespace
}  // namespace dockgate::test

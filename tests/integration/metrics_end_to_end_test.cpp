// SPDX-License-Identifier: Apache-2.0
// The metrics endpoint of the real agent: figures follow real scans, a broker outage shows
// as a growing, ageing backlog, promtool accepts the live exposition, and a taken port
// never stops the agent from doing its job.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <sstream>
#include <thread>

#include "tests/integration/agent_config_yaml.hpp"
#include "tests/integration/agent_harness.hpp"
#include "tests/integration/captured_events.hpp"
#include "tests/integration/sscc.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/mqtt_capture.hpp"
#include "tests/support/net.hpp"
#include "tests/support/promtool.hpp"
#include "tests/support/wait.hpp"

namespace dockgate::test {
namespace {

using namespace std::chrono_literals;

/// The value of one series ("name" or "name{labels}") in an exposition; nullopt if absent.
std::optional<double> series(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  }
  return std::nullopt;
}

class MetricsEndToEnd : public ::testing::Test {
 protected:
  void start_agent(std::uint16_t metrics_port) {
    AgentYaml y;
    y.broker_uri = broker_.uri();
    y.db_path = dir_.file("outbox.db");
    y.tcp_server_port = scanner_port_;
    y.metrics_listen = "127.0.0.1:" + std::to_string(metrics_port);
    agent_ = std::make_unique<AgentProcess>(dir_, agent_yaml(y));
    agent_->start();
    ASSERT_TRUE(wait_for_port(scanner_port_, 10s)) << agent_->log();
  }
  std::string scrape() { return http_body(http_get(metrics_port_, "/metrics")); }
  /// Waits until the backlog is empty: a PUBACK is counted at once, the buffer applies the
  /// ack a moment later. Returns the last scrape.
  std::string wait_backlog_empty() {
    std::string text;
    EXPECT_TRUE(poll_until(
        [&] {
          text = scrape();
          return series(text, "dockgate_backlog_records") == 0;
        },
        5s, 20ms))
        << text;
    return text;
  }
  /// Waits until `name` has at least `value` in a scrape; returns the last scrape.
  std::string wait_series(const std::string& name, double value) {
    std::string text;
    poll_until(
        [&] {
          text = scrape();
          const auto v = series(text, name);
          return v && *v >= value;
        },
        10s, 50ms);
    return text;
  }

  TempDir dir_{"dockgate-metrics-e2e"};
  MosquittoBroker broker_;
  std::uint16_t scanner_port_ = free_tcp_port();
  std::uint16_t metrics_port_ = free_tcp_port();
  std::unique_ptr<AgentProcess> agent_;
};

TEST_F(MetricsEndToEnd, FiguresFollowScansAndABrokerOutage) {
  MqttCapture capture(broker_.uri(), {"dockgate/#"});
  start_agent(metrics_port_);
  ASSERT_TRUE(wait_for_port(metrics_port_, 10s)) << agent_->log();
  TcpScanner scanner(scanner_port_);
  scanner.send("]C100" + sscc(1) + "\r\n]C100" + sscc(2) + "\r\nGARBLED\r\n");
  ASSERT_TRUE(
      capture.wait_until([](const auto& all) { return event_count(all, kEventsTopic) >= 2; }, 10s));

  const std::string driver = R"({driver="door07-net",type="tcp_scanner",location="door-07"})";
  wait_series("dockgate_records_published_total", 3);
  std::string t = wait_backlog_empty();
  EXPECT_EQ(series(t, "dockgate_driver_reads_total" + driver), 3) << t;
  EXPECT_EQ(series(t, "dockgate_driver_up" + driver), 1) << t;
  EXPECT_EQ(series(t, "dockgate_reads_total"), 3) << t;
  EXPECT_EQ(series(t, "dockgate_invalid_reads_total"), 1) << t;
  EXPECT_EQ(series(t, R"(dockgate_records_committed_total{channel="events"})"), 2) << t;
  EXPECT_EQ(series(t, R"(dockgate_records_committed_total{channel="exceptions"})"), 1) << t;
  EXPECT_EQ(series(t, "dockgate_backlog_records"), 0) << t;
  EXPECT_EQ(series(t, "dockgate_mqtt_connected"), 1) << t;
  EXPECT_GE(series(t, "dockgate_publish_latency_seconds_count").value_or(0), 3) << t;
  EXPECT_GT(series(t, "dockgate_buffer_file_bytes").value_or(0), 0) << t;
  EXPECT_GT(series(t, "process_resident_memory_bytes").value_or(0), 1e6) << t;
  const auto promtool = promtool_check_metrics(t, dir_.path());
  EXPECT_EQ(promtool.exit_code, 0) << promtool.output;
  EXPECT_EQ(promtool.output, "");

  // Broker down: the backlog grows and ages, the connection gauge drops.
  broker_.stop();
  ASSERT_TRUE(
      poll_until([&] { return series(scrape(), "dockgate_mqtt_connected") == 0; }, 10s, 50ms));
  scanner.send("]C100" + sscc(3) + "\r\n");
  t = wait_series("dockgate_backlog_records", 1);
  std::this_thread::sleep_for(1500ms);
  t = scrape();
  EXPECT_EQ(series(t, "dockgate_backlog_records"), 1) << t;
  EXPECT_GE(series(t, "dockgate_backlog_oldest_age_seconds").value_or(0), 1.0) << t;

  // Broker back: drained, one reconnect counted.
  broker_.start();
  wait_series("dockgate_records_published_total", 4);
  t = wait_backlog_empty();
  EXPECT_EQ(series(t, "dockgate_backlog_oldest_age_seconds"), 0) << t;
  EXPECT_GE(series(t, "dockgate_mqtt_reconnects_total").value_or(0), 1) << t;
  EXPECT_TRUE(agent_->terminate().success());
}

TEST_F(MetricsEndToEnd, ATakenPortIsLoggedAndTheAgentStillDeliversThenBindsWhenFree) {
  // Another program holds the metrics port (a second exporter, an old process).
  auto holder = std::make_unique<TcpScannerServer>();
  metrics_port_ = holder->port();
  MqttCapture capture(broker_.uri(), {"dockgate/#"});
  start_agent(metrics_port_);
  ASSERT_TRUE(agent_->wait_log("tries again every 10 s", 10s)) << agent_->log();
  TcpScanner scanner(scanner_port_);
  scanner.send("]C100" + sscc(11) + "\r\n");
  ASSERT_TRUE(
      capture.wait_until([](const auto& all) { return event_count(all, kEventsTopic) >= 1; }, 10s))
      << agent_->log();
  holder.reset();  // port free again: the agent's retry takes it within 10 s
  ASSERT_TRUE(agent_->wait_log("metrics: serving", 20s)) << agent_->log();
  EXPECT_EQ(series(scrape(), "dockgate_records_published_total"), 1);
  EXPECT_TRUE(agent_->terminate().success());
}

TEST_F(MetricsEndToEnd, ReloadMovesTheEndpointAndKeepsCountersGoingUp) {
  MqttCapture capture(broker_.uri(), {"dockgate/#"});
  start_agent(metrics_port_);
  ASSERT_TRUE(wait_for_port(metrics_port_, 10s)) << agent_->log();
  TcpScanner scanner(scanner_port_);
  scanner.send("]C100" + sscc(21) + "\r\n");
  wait_series("dockgate_records_published_total", 1);

  // A new port and a changed uplink (new publisher): the counters carry on from 1.
  const std::uint16_t moved = free_tcp_port();
  AgentYaml y;
  y.broker_uri = broker_.uri();
  y.db_path = dir_.file("outbox.db");
  y.tcp_server_port = scanner_port_;
  y.metrics_listen = "127.0.0.1:" + std::to_string(moved);
  y.extra = "";
  std::string yaml = agent_yaml(y);
  const std::string from = "status_interval: 1s";
  yaml.replace(yaml.find(from), from.size(), "status_interval: 2s");
  agent_->rewrite_config(yaml);
  agent_->reload();
  ASSERT_TRUE(wait_for_port(moved, 10s)) << agent_->log();
  EXPECT_FALSE(port_accepts(metrics_port_));
  metrics_port_ = moved;
  const std::string t = wait_series("dockgate_mqtt_connects_total", 2);
  EXPECT_EQ(series(t, "dockgate_records_published_total"), 1) << t;
  EXPECT_GE(series(t, "dockgate_mqtt_connects_total").value_or(0), 2) << t;
  EXPECT_TRUE(agent_->terminate().success());
}

}  // namespace
}  // namespace dockgate::test

// SPDX-License-Identifier: Apache-2.0
// The metrics endpoint: the exposition text (checked by the real promtool) and the HTTP
// server's answers and limits, over real loopback sockets.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <system_error>
#include <thread>

#include "agent/runtime/metrics_http.hpp"
#include "agent/runtime/metrics_text.hpp"
#include "tests/support/net.hpp"
#include "tests/support/promtool.hpp"
#include "tests/support/temp_dir.hpp"

namespace dockgate::runtime {
namespace {

using test::http_body;
using test::http_get;
using test::tcp_exchange;

MetricsSnapshot sample_snapshot() {
  MetricsSnapshot s;
  s.version = "1.2.3";
  s.site = "hub-1";
  s.gateway = "gw-7";
  s.now_ms = 1'700'000'010'000;
  s.process.start_time_seconds = 1'700'000'000.5;
  s.process.cpu_seconds = 1.25;
  s.process.resident_bytes = 12'345'678;
  s.reads = 10;
  s.events = 8;
  s.invalid = 1;
  s.committed_events = 8;
  s.committed_exceptions = 2;
  s.outbox.pending_count = 42;
  s.outbox.pending_bytes = 4096;
  s.outbox.oldest_created_ms = 1'700'000'007'500;  // 2.5 s before now_ms
  s.outbox.file_bytes = 1 << 20;
  s.outbox.rejected_total = 3;
  s.publisher.connected = true;
  s.publisher.connects = 3;
  s.publisher.acked_rows = 7;
  s.publisher.alarms = {"publish_rejected"};
  s.publisher.publish_latency.observe(0.002);  // le 0.0025
  s.publisher.publish_latency.observe(0.004);  // le 0.005
  s.publisher.publish_latency.observe(30.0);   // +Inf only
  s.publisher.batch_records.observe(1);
  s.publisher.batch_records.observe(500);
  s.drivers.push_back({"door03-serial", "serial_scanner", "door-03", 6, 1, true});
  s.drivers.push_back({"door07-net", "tcp_scanner", "door-07", 4, 0, false});
  s.drivers.push_back({"door08-cam", "camera", "door-08", 0, 0, std::nullopt});
  return s;
}

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST(MetricsText, RendersEveryFigureUnderItsPrometheusName) {
  const std::string t = render_metrics(sample_snapshot());
  EXPECT_TRUE(has_line(t, R"(dockgate_build_info{version="1.2.3",site="hub-1",gateway="gw-7"} 1)"))
      << t;
  EXPECT_TRUE(has_line(t, "process_start_time_seconds 1700000000.5")) << t;
  EXPECT_TRUE(has_line(t, "process_resident_memory_bytes 12345678")) << t;
  EXPECT_TRUE(has_line(t, R"(dockgate_records_committed_total{channel="events"} 8)")) << t;
  EXPECT_TRUE(has_line(t, R"(dockgate_records_committed_total{channel="exceptions"} 2)")) << t;
  EXPECT_TRUE(has_line(t, "dockgate_records_published_total 7")) << t;
  EXPECT_TRUE(has_line(t, "dockgate_records_rejected_total 3")) << t;
  EXPECT_TRUE(has_line(t, "dockgate_backlog_records 42")) << t;
  EXPECT_TRUE(has_line(t, "dockgate_backlog_bytes 4096")) << t;
  EXPECT_TRUE(has_line(t, "dockgate_backlog_oldest_age_seconds 2.5")) << t;
  EXPECT_TRUE(has_line(t, "dockgate_buffer_file_bytes 1048576")) << t;
  EXPECT_TRUE(has_line(t, "dockgate_mqtt_connected 1")) << t;
  EXPECT_TRUE(has_line(t, "dockgate_mqtt_reconnects_total 2")) << t;
  EXPECT_TRUE(has_line(t, R"(dockgate_uplink_alarm{kind="publish_rejected"} 1)")) << t;
  EXPECT_TRUE(has_line(t, R"(dockgate_uplink_alarm{kind="subscribe_rejected"} 0)")) << t;
  EXPECT_TRUE(has_line(
      t,
      R"(dockgate_driver_reads_total{driver="door03-serial",type="serial_scanner",location="door-03"} 6)"))
      << t;
  EXPECT_TRUE(has_line(
      t, R"(dockgate_driver_up{driver="door07-net",type="tcp_scanner",location="door-07"} 0)"))
      << t;
  // A driver that never reported a state has no `up` sample (absent, not a false 0).
  EXPECT_EQ(t.find(R"(dockgate_driver_up{driver="door08-cam")"), std::string::npos) << t;
}

TEST(MetricsText, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  const std::string t = render_metrics(sample_snapshot());
  EXPECT_TRUE(has_line(t, R"(dockgate_publish_latency_seconds_bucket{le="0.001"} 0)")) << t;
  EXPECT_TRUE(has_line(t, R"(dockgate_publish_latency_seconds_bucket{le="0.0025"} 1)")) << t;
  EXPECT_TRUE(has_line(t, R"(dockgate_publish_latency_seconds_bucket{le="0.005"} 2)")) << t;
  EXPECT_TRUE(has_line(t, R"(dockgate_publish_latency_seconds_bucket{le="10"} 2)")) << t;
  EXPECT_TRUE(has_line(t, R"(dockgate_publish_latency_seconds_bucket{le="+Inf"} 3)")) << t;
  EXPECT_TRUE(has_line(t, "dockgate_publish_latency_seconds_sum 30.006")) << t;
  EXPECT_TRUE(has_line(t, "dockgate_publish_latency_seconds_count 3")) << t;
  EXPECT_TRUE(has_line(t, R"(dockgate_publish_batch_records_bucket{le="1"} 1)")) << t;
  EXPECT_TRUE(has_line(t, R"(dockgate_publish_batch_records_bucket{le="200"} 1)")) << t;
  EXPECT_TRUE(has_line(t, R"(dockgate_publish_batch_records_bucket{le="500"} 2)")) << t;
}

TEST(MetricsText, EmptyBacklogHasAgeZero) {
  MetricsSnapshot s = sample_snapshot();
  s.outbox.oldest_created_ms.reset();
  EXPECT_TRUE(has_line(render_metrics(s), "dockgate_backlog_oldest_age_seconds 0"));
}

TEST(MetricsText, LabelValuesAreEscaped) {
  MetricsSnapshot s = sample_snapshot();
  s.site = "a\"b\\c\nd";
  const std::string t = render_metrics(s);
  EXPECT_NE(t.find(R"(site="a\"b\\c\nd")"), std::string::npos) << t;
}

TEST(MetricsText, PromtoolAcceptsTheExpositionWithoutLintProblems) {
  test::TempDir dir("dockgate-metrics");
  MetricsSnapshot s = sample_snapshot();
  s.site = "odd \"site\"\\";
  const auto result = test::promtool_check_metrics(render_metrics(s), dir.path());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output, "") << result.output;
}

TEST(MetricsText, PromtoolWouldCatchABrokenExposition) {
  // The check above could only fail if promtool really parses: show that it does.
  test::TempDir dir("dockgate-metrics");
  const auto result = test::promtool_check_metrics(
      "# HELP dockgate_x_total x\n# TYPE dockgate_x_total counter\ndockgate_x_total{a=\"1} 1\n",
      dir.path());
  EXPECT_NE(result.exit_code, 0) << result.output;
}

/// A MetricsHttp on its own io thread, on a kernel-chosen loopback port.
class MetricsHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    http_ = std::make_unique<MetricsHttp>(io_, ListenAddress{"127.0.0.1", 0}, [this] {
      ++scrapes_;
      return std::string("dockgate_test 1\n");
    });
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    io_.stop();
    thread_.join();
    http_.reset();
  }
  [[nodiscard]] std::uint16_t port() const { return http_->port(); }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  std::unique_ptr<MetricsHttp> http_;
  std::thread thread_;
  std::atomic<int> scrapes_{0};
};

TEST_F(MetricsHttpTest, GetMetricsServesTheBodyAsPrometheusText) {
  const std::string res = http_get(port(), "/metrics");
  EXPECT_EQ(res.rfind("HTTP/1.1 200 OK\r\n", 0), 0U) << res;
  EXPECT_NE(res.find("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"),
            std::string::npos)
      << res;
  EXPECT_EQ(http_body(res), "dockgate_test 1\n");
  EXPECT_EQ(http_body(http_get(port(), "/metrics?x=1")), "dockgate_test 1\n");
  EXPECT_EQ(scrapes_, 2);
}

TEST_F(MetricsHttpTest, OtherPathsMethodsAndGarbageGetClearErrors) {
  EXPECT_EQ(http_get(port(), "/").rfind("HTTP/1.1 404 ", 0), 0U);
  const std::string post = tcp_exchange(
      port(),
      "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(post.rfind("HTTP/1.1 405 ", 0), 0U) << post;
  EXPECT_NE(post.find("Allow: GET, HEAD\r\n"), std::string::npos) << post;
  const std::string garbage = tcp_exchange(port(), "\x01\x02 not http\r\n\r\n");
  EXPECT_EQ(garbage.rfind("HTTP/1.1 400 ", 0), 0U) << garbage;
  EXPECT_EQ(scrapes_, 0);  // none of them rendered the metrics
}

TEST_F(MetricsHttpTest, HeadGivesTheLengthWithoutTheBody) {
  const std::string res =
      tcp_exchange(port(), "HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(res.rfind("HTTP/1.1 200 OK\r\n", 0), 0U) << res;
  EXPECT_NE(res.find("Content-Length: 16\r\n"), std::string::npos) << res;
  EXPECT_EQ(http_body(res), "");
}

TEST_F(MetricsHttpTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  const std::string two =
      tcp_exchange(port(),
                   "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
                   "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::size_t count = 0;
  for (auto at = two.find("HTTP/1.1 200 OK"); at != std::string::npos;
       at = two.find("HTTP/1.1 200 OK", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 2U) << two;
}

TEST_F(MetricsHttpTest, ConnectionsBeyondTheLimitAreClosedAndTheEndpointRecovers) {
  // 16 idle connections hold every slot; the 17th is closed at once without an answer.
  std::vector<int> idle;
  for (int i = 0; i < 16; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    idle.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // all accepted
  EXPECT_EQ(http_get(port(), "/metrics"), "");
  for (const int fd : idle) ::close(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the server saw them go
  EXPECT_EQ(http_body(http_get(port(), "/metrics")), "dockgate_test 1\n");
}

TEST(MetricsHttp, AnAddressInUseIsASystemErrorNamingIt) {
  boost::asio::io_context io;
  MetricsHttp first(io, ListenAddress{"127.0.0.1", 0}, [] { return std::string(); });
  try {
    MetricsHttp second(io, ListenAddress{"127.0.0.1", first.port()}, [] { return std::string(); });
    FAIL() << "a second endpoint bound the same port";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(first.port())),
              std::string::npos)
        << e.what();
  }
}

TEST(MetricsListen, ParsesIpv4AndBracketedIpv6AndRefusesTheRest) {
  ListenAddress a;
  EXPECT_EQ(parse_listen_address("127.0.0.1:9464", a), "");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 9464);
  EXPECT_EQ(parse_listen_address("[::1]:9100", a), "");
  EXPECT_EQ(a.host, "::1");
  EXPECT_NE(parse_listen_address("localhost:9464", a), "");
  EXPECT_NE(parse_listen_address("127.0.0.1", a), "");
  EXPECT_NE(parse_listen_address("127.0.0.1:0", a), "");
  EXPECT_NE(parse_listen_address("127.0.0.1:70000", a), "");
  EXPECT_NE(parse_listen_address("::1:9464", a), "");
}

}  // namespace
}  // namespace dockgate::runtime

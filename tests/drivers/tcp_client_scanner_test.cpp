// SPDX-License-Identifier: Apache-2.0
// tcp_scanner mode client against a listener on 127.0.0.1.
#include "drivers/tcp_scanner/tcp_client_scanner.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <memory>

#include "tcp_test_peer.hpp"
#include "test_sink.hpp"

namespace dockgate::drivers {
namespace {

using test::FakeScannerListener;
using test::RecordingSink;
using test::run_until;

class TcpClientScannerTest : public ::testing::Test {
 protected:
  TcpOptions options() {
    TcpOptions o;
    o.mode = TcpMode::client;
    o.host = "127.0.0.1";
    o.port = port;
    o.reconnect_min = std::chrono::milliseconds(20);
    o.reconnect_max = std::chrono::milliseconds(100);
    o.connect_timeout = std::chrono::seconds(2);
    return o;
  }
  std::unique_ptr<TcpClientScanner> make(const TcpOptions& o) {
    return std::make_unique<TcpClientScanner>(DriverContext{io, sink, "fixed-1", "door-07"}, o);
  }
  void TearDown() override { test::drain(io); }

  boost::asio::io_context io;
  RecordingSink sink;
  std::uint16_t port = test::free_loopback_port(io);
};

TEST_F(TcpClientScannerTest, ConnectsFramesAndSurvivesAScannerRestart) {
  auto listener = std::make_unique<FakeScannerListener>(io, port);
  auto driver = make(options());
  driver->start();
  ASSERT_TRUE(run_until(io, [&] { return listener->accepted() && sink.count_status(true) == 1; }));
  EXPECT_EQ(sink.statuses.back().detail, "connected to 127.0.0.1:" + std::to_string(port) +
                                             " (127.0.0.1:" + std::to_string(port) + ")");

  listener->send("]C10034012345");
  listener->send("0000000420\r");
  listener->send("\n]E04012345000016\r\n");
  ASSERT_TRUE(run_until(io, [&] { return sink.reads.size() == 2; }));
  EXPECT_EQ(sink.reads[0].data, "00340123450000000420");
  EXPECT_EQ(sink.reads[0].symbology_id, "]C1");
  EXPECT_EQ(sink.reads[0].driver_id, "fixed-1");
  EXPECT_EQ(sink.reads[0].location_id, "door-07");
  EXPECT_EQ(sink.reads[1].data, "4012345000016");

  // A partial frame is in flight when the scanner dies: it must not leak into the next
  // connection's first frame.
  listener->send("]C1PART");
  listener->kill();
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(false) == 1; }));
  EXPECT_NE(sink.statuses.back().detail.find("lost"), std::string::npos)
      << sink.statuses.back().detail;

  listener = std::make_unique<FakeScannerListener>(io, port);
  ASSERT_TRUE(run_until(io, [&] { return listener->accepted() && sink.count_status(true) == 2; }));
  EXPECT_EQ(sink.count_status(false), 1u);  // refused retries while down report nothing new
  listener->send("IAL\r]C1NEXT\r");
  ASSERT_TRUE(run_until(io, [&] { return sink.reads.size() == 4; }));
  EXPECT_EQ(sink.reads[2].data, "IAL");
  EXPECT_EQ(sink.reads[2].symbology_id, "");
  EXPECT_EQ(sink.reads[3].data, "NEXT");
  driver->stop();
  EXPECT_TRUE(sink.last_status_is(false, "stopped"));
}

TEST_F(TcpClientScannerTest, RefusedAtStartIsReportedDownThenConnects) {
  auto driver = make(options());
  driver->start();
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(false) == 1; }));
  EXPECT_NE(sink.statuses[0].detail.find("Connection refused"), std::string::npos)
      << sink.statuses[0].detail;
  FakeScannerListener listener(io, port);
  ASSERT_TRUE(run_until(io, [&] { return listener.accepted() && sink.count_status(true) == 1; }));
  listener.send("]d2HELLO\n");
  ASSERT_TRUE(run_until(io, [&] { return sink.reads.size() == 1; }));
  EXPECT_EQ(sink.reads[0].symbology_id, "]d2");
  driver->stop();
}

}  // namespace
}  // namespace dockgate::drivers

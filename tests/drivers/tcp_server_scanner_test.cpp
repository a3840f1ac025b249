// SPDX-License-Identifier: Apache-2.0
// tcp_scanner mode server with several scanners connected over 127.0.0.1.
#include "drivers/tcp_scanner/tcp_server_scanner.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>

#include "tcp_test_peer.hpp"
#include "test_sink.hpp"

namespace dockgate::drivers {
namespace {

using test::FakeScannerClient;
using test::RecordingSink;
using test::run_until;

class TcpServerScannerTest : public ::testing::Test {
 protected:
  TcpOptions options() {
    TcpOptions o;
    o.mode = TcpMode::server;
    o.bind = "127.0.0.1";
    o.port = port;
    o.reconnect_min = std::chrono::milliseconds(20);
    o.reconnect_max = std::chrono::milliseconds(100);
    return o;
  }
  std::unique_ptr<TcpServerScanner> make(const TcpOptions& o) {
    return std::make_unique<TcpServerScanner>(DriverContext{io, sink, "dock-net", "door-09"}, o);
  }
  bool listening() const { return sink.count_status(true, "listening on") > 0; }
  void TearDown() override { test::drain(io); }

  boost::asio::io_context io;
  RecordingSink sink;
  std::uint16_t port = test::free_loopback_port(io);
};

TEST_F(TcpServerScannerTest, ThreeScannersInterleavingFramesAreFramedPerConnection) {
  auto driver = make(options());
  driver->start();
  ASSERT_TRUE(listening());  // synchronous: reported by start()
  EXPECT_EQ(sink.statuses[0].detail,
            "listening on 127.0.0.1:" + std::to_string(port) + ", no scanner connected");

  std::vector<std::unique_ptr<FakeScannerClient>> scanners;
  scanners.reserve(3);
  for (int i = 0; i < 3; ++i) scanners.push_back(std::make_unique<FakeScannerClient>(io, port));
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true, " connected (") == 3; }));
  EXPECT_EQ(sink.statuses.back().detail,
            "peer " + scanners[2]->local() + " connected (3 connected)");

  // Every scanner sends 20 frames, each cut into pieces; pieces of different scanners
  // alternate, and the driver runs between pieces so it sees the partial frames interleaved.
  std::vector<std::vector<std::string>> expected(3);
  std::vector<std::vector<std::string>> pieces(3);
  const char* terminators[] = {"\r", "\n", "\r\n"};
  for (int s = 0; s < 3; ++s) {
    std::string stream;
    for (int n = 0; n < 20; ++n) {
      std::string data = "00" + std::to_string(340123450000000000LL + s * 1000LL + n);
      expected[s].push_back(data);
      stream += "]C1" + data + terminators[(s + n) % 3];
    }
    for (std::size_t pos = 0; pos < stream.size(); pos += 7)
      pieces[s].push_back(stream.substr(pos, 7));
  }
  for (std::size_t k = 0; k < pieces[0].size() || k < pieces[1].size() || k < pieces[2].size();
       ++k) {
    for (int s = 0; s < 3; ++s) {
      if (k >= pieces[s].size()) continue;
      scanners[s]->send(pieces[s][k]);
    }
    io.poll();
  }
  ASSERT_TRUE(run_until(io, [&] { return sink.reads.size() == 60; })) << sink.reads.size();

  // Frames of one scanner keep their order; no frame mixes bytes of two scanners.
  std::map<std::string, int> owner;
  for (int s = 0; s < 3; ++s) {
    for (const auto& d : expected[s]) owner[d] = s;
  }
  std::vector<std::vector<std::string>> got(3);
  for (const auto& r : sink.reads) {
    ASSERT_EQ(owner.count(r.data), 1u) << "corrupted frame: " << r.data;
    EXPECT_EQ(r.symbology_id, "]C1");
    EXPECT_EQ(r.driver_id, "dock-net");
    EXPECT_EQ(r.location_id, "door-09");
    got[owner[r.data]].push_back(r.data);
  }
  EXPECT_EQ(got, expected);
  EXPECT_TRUE(sink.errors.empty());

  // A disconnect names the peer; the driver stays up while others are connected.
  const std::string first = scanners[0]->local();
  scanners[0]->send("]C1HALF");  // partial frame dies with its connection
  scanners[0]->close();
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true, "disconnected") == 1; }));
  EXPECT_EQ(sink.statuses.back().detail.rfind("peer " + first + " disconnected: ", 0), 0u)
      << sink.statuses.back().detail;
  EXPECT_NE(sink.statuses.back().detail.find("(2 connected)"), std::string::npos);
  scanners[1]->close();
  scanners[2]->close();
  ASSERT_TRUE(run_until(io, [&] { return sink.last_status_is(true, "(0 connected)"); }));
  EXPECT_EQ(sink.reads.size(), 60u);
  driver->stop();
}

TEST_F(TcpServerScannerTest, ConnectionsBeyondTheLimitAreClosed) {
  TcpOptions o = options();
  o.max_connections = 2;
  auto driver = make(o);
  driver->start();
  FakeScannerClient a(io, port);
  FakeScannerClient b(io, port);
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true, " connected (") == 2; }));

  FakeScannerClient extra(io, port);
  boost::system::error_code read_ec;
  bool read_done = false;
  char byte = 0;
  extra.socket().async_read_some(boost::asio::buffer(&byte, 1),
                                 [&](const boost::system::error_code& ec, std::size_t) {
                                   read_ec = ec;
                                   read_done = true;
                                 });
  ASSERT_TRUE(run_until(io, [&] { return read_done; }));
  EXPECT_EQ(read_ec, boost::asio::error::eof);  // closed by the driver
  EXPECT_EQ(sink.count_status(true, " connected ("), 2u);
  // Both are fresh (not idle for evict_min_idle): the newcomer is refused, and says so.
  ASSERT_EQ(sink.errors.size(), 1u);
  EXPECT_EQ(sink.errors[0].kind, "connection_refused");
  EXPECT_EQ(sink.errors[0].driver_id, "dock-net");
  EXPECT_EQ(sink.errors[0].location_id, "door-09");
  EXPECT_NE(sink.errors[0].message.find("refused connection from " + extra.local()),
            std::string::npos)
      << sink.errors[0].message;
  EXPECT_NE(sink.errors[0].message.find("max_connections (2) reached"), std::string::npos);

  // The accepted ones still work.
  b.send("]E04012345000016\n");
  ASSERT_TRUE(run_until(io, [&] { return sink.reads.size() == 1; }));
  EXPECT_EQ(sink.reads[0].data, "4012345000016");
  driver->stop();
  EXPECT_TRUE(sink.last_status_is(false, "stopped"));
}

/// Waits for the driver to close `client`'s connection (EOF on the client side).
bool closed_by_driver(boost::asio::io_context& io, FakeScannerClient& client) {
  bool done = false;
  boost::system::error_code read_ec;
  char byte = 0;
  client.socket().async_read_some(boost::asio::buffer(&byte, 1),
                                  [&](const boost::system::error_code& ec, std::size_t) {
                                    read_ec = ec;
                                    done = true;
                                  });
  return run_until(io, [&] { return done; }) && read_ec == boost::asio::error::eof;
}

TEST_F(TcpServerScannerTest, SixteenIdleConnectionsDoNotLockOutAReconnectingScanner) {
  // The black-box case: default max_connections (16), all held by scanners that went quiet
  // (a roamed scanner's old connection lingers), then the scanner reconnects.
  TcpOptions o = options();
  ASSERT_EQ(o.max_connections, 16u);
  o.evict_min_idle = std::chrono::milliseconds(50);
  auto driver = make(o);
  driver->start();
  std::vector<std::unique_ptr<FakeScannerClient>> stale;
  for (int i = 0; i < 16; ++i) {
    stale.push_back(std::make_unique<FakeScannerClient>(io, port));
    // Accept them one by one so their ages differ and stale[0] is the oldest.
    ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true, " connected (") == i + 1u; }));
  }
  run_until(
      io, [] { return false; }, std::chrono::milliseconds(80));  // all quiet > 50 ms

  FakeScannerClient roamed(io, port);
  ASSERT_TRUE(closed_by_driver(io, *stale[0]));  // the oldest idle one made room
  ASSERT_EQ(sink.errors.size(), 1u);
  EXPECT_EQ(sink.errors[0].kind, "connection_evicted");
  EXPECT_EQ(sink.errors[0].message.rfind("peer " + stale[0]->local() + " evicted after ", 0), 0u)
      << sink.errors[0].message;
  EXPECT_NE(sink.errors[0].message.find("for new connection from " + roamed.local()),
            std::string::npos)
      << sink.errors[0].message;
  ASSERT_TRUE(run_until(io, [&] { return sink.last_status_is(true, "(16 connected)"); }));
  roamed.send("]C100340123450000000420\r");
  ASSERT_TRUE(run_until(io, [&] { return sink.reads.size() == 1; }));
  EXPECT_EQ(sink.reads[0].data, "00340123450000000420");
  driver->stop();
}

TEST_F(TcpServerScannerTest, EvictionPicksTheLongestQuietConnectionAndSparesPartialFrames) {
  TcpOptions o = options();
  o.max_connections = 3;
  o.evict_min_idle = std::chrono::milliseconds(0);
  auto driver = make(o);
  driver->start();
  FakeScannerClient a(io, port);
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true, " connected (") == 1; }));
  FakeScannerClient b(io, port);
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true, " connected (") == 2; }));
  FakeScannerClient c(io, port);
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true, " connected (") == 3; }));
  a.send("]C1HALF");             // a is the oldest but mid-frame: never cut
  b.send("]E04012345000016\n");  // b is now more recent than c
  ASSERT_TRUE(run_until(io, [&] { return sink.reads.size() == 1; }));
  run_until(
      io, [] { return false; }, std::chrono::milliseconds(30));  // a's bytes arrive

  FakeScannerClient d(io, port);
  ASSERT_TRUE(closed_by_driver(io, c));
  ASSERT_EQ(sink.errors.size(), 1u);
  EXPECT_EQ(sink.errors[0].kind, "connection_evicted");
  EXPECT_EQ(sink.errors[0].message.rfind("peer " + c.local(), 0), 0u) << sink.errors[0].message;
  a.send("PART\n");  // a survived with its partial frame
  ASSERT_TRUE(run_until(io, [&] { return sink.reads.size() == 2; }));
  EXPECT_EQ(sink.reads[1].data, "HALFPART");
  driver->stop();
}

TEST_F(TcpServerScannerTest, IdleConnectionsAreClosedAfterIdleTimeout) {
  TcpOptions o = options();
  o.idle_timeout = std::chrono::milliseconds(150);
  auto driver = make(o);
  driver->start();
  FakeScannerClient quiet(io, port);
  FakeScannerClient busy(io, port);
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true, " connected (") == 2; }));
  // busy keeps talking every 50 ms: its timer is rearmed by each read.
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 6; ++i) {
    busy.send("]E04012345000016\n");
    run_until(
        io, [] { return false; }, std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(closed_by_driver(io, quiet));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(150));
  EXPECT_EQ(sink.count_status(true, "disconnected: idle for 150 ms (1 connected)"), 1u);
  EXPECT_TRUE(sink.errors.empty());  // a timeout is routine, not an exception
  busy.send("]E04012345000016\n");
  ASSERT_TRUE(run_until(io, [&] { return sink.reads.size() == 7; }));
  driver->stop();
}

TEST_F(TcpServerScannerTest, PortInUseIsReportedAndRetriedUntilFree) {
  using boost::asio::ip::tcp;
  auto squatter = std::make_unique<tcp::acceptor>(
      io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  auto driver = make(options());
  driver->start();
  ASSERT_EQ(sink.statuses.size(), 1u);
  EXPECT_FALSE(sink.statuses[0].up);
  EXPECT_NE(sink.statuses[0].detail.find("Address already in use"), std::string::npos)
      << sink.statuses[0].detail;

  squatter.reset();
  ASSERT_TRUE(run_until(io, [&] { return listening(); }));
  FakeScannerClient scanner(io, port);
  scanner.send("]Q1https://id.gs1.org/00/340123450000000420\r\n");
  ASSERT_TRUE(run_until(io, [&] { return sink.reads.size() == 1; }));
  EXPECT_EQ(sink.reads[0].data, "https://id.gs1.org/00/340123450000000420");
  driver->stop();
}

}  // namespace
}  // namespace dockgate::drivers

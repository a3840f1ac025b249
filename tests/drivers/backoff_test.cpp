// SPDX-License-Identifier: Apache-2.0
#include "drivers/common/backoff.hpp"

#include <gtest/gtest.h>

#include "drivers/common/tcp_helpers.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <boost/asio/io_context.hpp>

namespace dockgate::drivers {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesUpToTheCapAndResets) {
  Backoff b(milliseconds(500), milliseconds(3000));
  EXPECT_EQ(b.next(), milliseconds(500));
  EXPECT_EQ(b.next(), milliseconds(1000));
  EXPECT_EQ(b.next(), milliseconds(2000));
  EXPECT_EQ(b.next(), milliseconds(3000));
  EXPECT_EQ(b.next(), milliseconds(3000));
  b.reset();
  EXPECT_EQ(b.next(), milliseconds(500));
}

TEST(Backoff, JitterStaysWithinBounds) {
  Backoff b(milliseconds(1000), milliseconds(8000), 0.5);
  const milliseconds base[] = {milliseconds(1000), milliseconds(2000), milliseconds(4000),
                               milliseconds(8000), milliseconds(8000)};
  bool varied = false;
  for (int round = 0; round < 50; ++round) {
    b.reset();
    for (auto expected : base) {
      const auto d = b.next();
      EXPECT_LE(d, expected);
      EXPECT_GE(d, expected / 2);
      varied |= d != expected;
    }
  }
  EXPECT_TRUE(varied);  // 250 draws all exactly at the base would mean no jitter
}

TEST(Backoff, HugeMaximumDoesNotOverflow) {
  Backoff b(milliseconds(1), milliseconds::max());
  milliseconds last(0);
  for (int i = 0; i < 200; ++i) {
    const auto d = b.next();
    EXPECT_GE(d, last);
    last = d;
  }
  EXPECT_EQ(last, milliseconds::max());
}

TEST(Backoff, NonPositiveMinimumIsClampedToOneMillisecond) {
  Backoff b(milliseconds(0), milliseconds(0));
  EXPECT_EQ(b.next(), milliseconds(1));  // never a zero-delay busy loop
}

TEST(TcpHelpers, KeepaliveIsEnabledWithItsTiming) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.open(boost::asio::ip::tcp::v4());
  ASSERT_FALSE(enable_keepalive(socket));
  const int fd = socket.native_handle();
  int value = 0;
  socklen_t len = sizeof value;
  ASSERT_EQ(::getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &value, &len), 0);
  EXPECT_EQ(value, 1);
  ASSERT_EQ(::getsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &value, &len), 0);
  EXPECT_EQ(value, kKeepaliveIdleS);
  ASSERT_EQ(::getsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &value, &len), 0);
  EXPECT_EQ(value, kKeepaliveIntervalS);
  ASSERT_EQ(::getsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &value, &len), 0);
  EXPECT_EQ(value, kKeepaliveProbes);
}

TEST(TcpHelpers, EndpointText) {
  using boost::asio::ip::make_address;
  using boost::asio::ip::tcp;
  EXPECT_EQ(to_string(tcp::endpoint(make_address("10.0.0.7"), 5555)), "10.0.0.7:5555");
  EXPECT_EQ(to_string(tcp::endpoint(make_address("::1"), 23)), "[::1]:23");
}

}  // namespace
}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
// The reader simulator, seen by a plain POSIX TCP client: the bytes it sends must have the
// LLRP 1.0.1 layout of /shared notes §4 (header §16.1, READER_EVENT_NOTIFICATION §13.2.6,
// RO_ACCESS_REPORT §13.2.3), and the fixture must see what the client sent.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/llrp_reader_sim.hpp"

namespace dockgate::test {
namespace {

using Bytes = std::vector<std::uint8_t>;
using namespace std::chrono_literals;

Bytes from_hex(const std::string& hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::uint32_t be32(const Bytes& b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) |
         (std::uint32_t{b[at + 2]} << 8) | b[at + 3];
}

unsigned type_of(const Bytes& frame) {
  return ((frame[0] & 0x03U) << 8) | frame[1];
}

/// Blocking loopback client with a per-read deadline; whole LLRP frames by the header length.
class Client {
 public:
  explicit Client(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
      throw std::runtime_error("connect failed");
    }
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void send(const Bytes& b) const {
    ASSERT_EQ(::send(fd_, b.data(), b.size(), 0), ssize_t(b.size()));
  }

  /// Next frame, nullopt on EOF or after `timeout`.
  std::optional<Bytes> frame(std::chrono::milliseconds timeout = 3s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (buf_.size() < 10 || buf_.size() < be32(buf_, 2)) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd p{fd_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return {};
      std::uint8_t tmp[4096];
      const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n <= 0) return {};
      buf_.insert(buf_.end(), tmp, tmp + n);
    }
    const auto len = be32(buf_, 2);
    Bytes out(buf_.begin(), buf_.begin() + len);
    buf_.erase(buf_.begin(), buf_.begin() + len);
    return out;
  }

  /// Next frame of `type`, skipping others (KEEPALIVEs ...).
  std::optional<Bytes> frame_of(unsigned type, std::chrono::milliseconds timeout = 3s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto f = frame(std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now()));
      if (!f) return {};
      if (type_of(*f) == type) return f;
    }
    return {};
  }

 private:
  int fd_;
  Bytes buf_;
};

// READER_EVENT_NOTIFICATION / ConnectionAttemptEvent with `status`, UTCTimestamp first.
void expect_connection_attempt(const Bytes& f, std::uint16_t status) {
  ASSERT_EQ(f.size(), 32U);
  EXPECT_EQ(f[0], 0x04);  // version 1
  EXPECT_EQ(type_of(f), 63U);
  EXPECT_EQ(be32(f, 2), 32U);
  EXPECT_EQ(Bytes(f.begin() + 10, f.begin() + 16), from_hex("00f600160080"));  // 246, 128
  EXPECT_EQ(Bytes(f.begin() + 26, f.end()),
            (Bytes{0x01, 0x00, 0x00, 0x06, static_cast<std::uint8_t>(status >> 8),
                   static_cast<std::uint8_t>(status & 0xff)}));  // 256, status
}

TEST(LlrpSim, ConnectionAttemptThenKeepaliveAcked) {
  LlrpReaderSim sim(nlohmann::json{{"keepalive_ms", 100}});
  Client c(sim.port());
  auto ren = c.frame();
  ASSERT_TRUE(ren) << sim.stderr_text();
  expect_connection_attempt(*ren, 0);
  auto ka = c.frame_of(62);
  ASSERT_TRUE(ka);
  ASSERT_EQ(ka->size(), 10U);
  Bytes ack = from_hex("04480000000a");
  ack.insert(ack.end(), ka->begin() + 6, ka->end());  // the KEEPALIVE's id
  c.send(ack);
  auto acked = sim.wait_for_event("keepalive_acked", 3s);
  ASSERT_TRUE(acked);
  EXPECT_EQ((*acked)["id"].get<std::uint32_t>(), be32(*ka, 6));
  auto rx = sim.wait_for_received("KEEPALIVE_ACK", 1s);
  ASSERT_TRUE(rx);
}

TEST(LlrpSim, RefusesFirstConnectionThenAccepts) {
  LlrpReaderSim sim(nlohmann::json{{"refuse_first", 1}});
  {
    Client first(sim.port());
    auto ren = first.frame();
    ASSERT_TRUE(ren);
    expect_connection_attempt(*ren, 2);  // a client-initiated connection exists
    EXPECT_FALSE(first.frame(2s)) << "the simulator must close a refused connection";
  }
  Client second(sim.port());
  auto ren = second.frame();
  ASSERT_TRUE(ren);
  expect_connection_attempt(*ren, 0);
}

TEST(LlrpSim, TagReportCarriesEpc96) {
  const std::string epc = "31d4f4e4e4b2d05e2a000000";  // sscc-96:6.4012345.3000000042
  LlrpReaderSim sim(nlohmann::json{{"report_clock", "connect"},
                                   {"reports",
                                    {{{"at_ms", 50},
                                      {"tags",
                                       {{{"epc", epc},
                                         {"antenna", 3},
                                         {"rssi", -55},
                                         {"count", 2},
                                         {"first_seen_utc_ms", 1741939965120}}}}}}}});
  Client c(sim.port());
  ASSERT_TRUE(c.frame());
  auto rep = c.frame_of(61);
  ASSERT_TRUE(rep) << sim.stderr_text();
  Bytes want = from_hex(
      "00f00022"
      "8d" +
      epc +
      "810003"
      "86c9"
      "820006304900d74e00"
      "880002");
  ASSERT_EQ(rep->size(), 10 + want.size());
  EXPECT_EQ(Bytes(rep->begin() + 10, rep->end()), want);
}

TEST(LlrpSim, ConfiguredErrorStatusAndReceivedLog) {
  LlrpReaderSim sim(
      nlohmann::json{{"errors", {{"ADD_ROSPEC", {{"status", "M_FieldError"}, {"times", 1}}}}}});
  Client c(sim.port());
  ASSERT_TRUE(c.frame());
  // ADD_ROSPEC id 0x67 from the notes §4 (ROSpec 1, Immediate, antennas {0}).
  const Bytes add = from_hex(
      "04140000004b0000006700b10041000000010000"
      "00b2001200b3000501"
      "00b600090000000000"
      "00b7001800010000"
      "00b800090000000000"
      "00ba0007000101"
      "00ed000d02000a"
      "00ee00061680");
  c.send(add);
  auto rsp = c.frame_of(30);
  ASSERT_TRUE(rsp);
  EXPECT_EQ(be32(*rsp, 6), 0x67U);
  ASSERT_GE(rsp->size(), 16U);
  EXPECT_EQ((*rsp)[10] << 8 | (*rsp)[11], 287);  // LLRPStatus
  EXPECT_EQ((*rsp)[14] << 8 | (*rsp)[15], 101);  // M_FieldError
  c.send(add);                                   // only the first one fails
  rsp = c.frame_of(30);
  ASSERT_TRUE(rsp);
  EXPECT_EQ((*rsp)[14] << 8 | (*rsp)[15], 0);
  auto rx = sim.wait_for_received("ADD_ROSPEC", 2s, 2);
  ASSERT_TRUE(rx);
  EXPECT_EQ((*rx)["id"], 0x67);
  EXPECT_EQ((*rx)["json"]["ROSpec"]["ROSpecID"], 1);
  EXPECT_EQ(
      (*rx)["json"]["ROSpec"]["ROBoundarySpec"]["ROSpecStartTrigger"]["ROSpecStartTriggerType"],
      "Immediate");
}

TEST(LlrpSim, CloseConnectionAnsweredThenClosed) {
  LlrpReaderSim sim;
  Client c(sim.port());
  ASSERT_TRUE(c.frame());
  c.send(from_hex("040e0000000a00000009"));  // CLOSE_CONNECTION id 9
  auto rsp = c.frame_of(4);
  ASSERT_TRUE(rsp);
  EXPECT_EQ(be32(*rsp, 6), 9U);
  EXPECT_FALSE(c.frame(2s));
  EXPECT_TRUE(sim.wait_for_event("closed", 2s));
}

}  // namespace
}  // namespace dockgate::test

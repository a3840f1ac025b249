// SPDX-License-Identifier: Apache-2.0
// ReaderLink against the in-test fake reader on a loopback port: handshake order (LLRP 1.0.1
// section 18.1), KEEPALIVE_ACK in every state, sightings, refused connections, error
// statuses, ERROR_MESSAGE, malformed streams, silent readers and the polite stop.
#include "drivers/llrp/reader_link.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "drivers/llrp/llrp_frame.hpp"
#include "tests/llrp/fake_reader.hpp"
#include "tests/llrp/hex.hpp"
#include "tests/llrp/link_fixture.hpp"
#include "tests/support/wait.hpp"

namespace dockgate::drivers::llrp {
namespace {

using namespace std::chrono_literals;
using test::FakeReader;
using test::from_hex;
using test::to_hex;

const char* const kReport =
    "043d0000002c00000000 00f00022 8d3034f4e4e40ad9c000002694 810001 86c9 "
    "820006304900d74e00 880003";

ReaderLinkOptions fast_options(std::uint16_t port) {
  ReaderLinkOptions options;
  options.host = "127.0.0.1";
  options.port = port;
  options.connect_timeout = 500ms;
  options.response_timeout = 500ms;
  options.reconnect_min = 20ms;
  options.reconnect_max = 100ms;
  return options;
}

std::vector<std::uint16_t> types(const std::vector<test::SentMessage>& messages,
                                 int connection = 1) {
  std::vector<std::uint16_t> out;
  for (const auto& m : messages) {
    if (m.connection == connection) out.push_back(m.type);
  }
  return out;
}

// Stops the link and returns how long it took until the completion callback ran.
std::chrono::milliseconds stop_and_wait(ReaderLink& link) {
  const auto start = std::chrono::steady_clock::now();
  std::promise<void> done;
  auto future = done.get_future();
  link.stop([&done] { done.set_value(); });
  EXPECT_EQ(future.wait_for(3s), std::future_status::ready) << "stop() did not complete";
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

const std::vector<std::uint16_t> kConfigureFlow = {kGetReaderCapabilities, kSetReaderConfig,
                                                   kDeleteRospec,          kAddRospec,
                                                   kEnableRospec,          kEnableEventsAndReports};

TEST(ReaderLink, ConfiguresInOrderAndDeliversSightings) {
  test::IoThread io;
  FakeReader reader;
  test::LinkRecorder rec;
  auto options = fast_options(reader.port());
  options.antennas = {1, 2};
  options.report_every_tags = 5;
  ReaderLink link(io.io, options, rec.callbacks());
  link.start();
  ASSERT_TRUE(test::poll_until([&] { return rec.ups() == 1; }, 2s));
  ASSERT_TRUE(test::poll_until([&] { return types(reader.received()).size() == 6; }, 1s));
  const auto sent = reader.received();
  EXPECT_EQ(types(sent), kConfigureFlow);
  // SET_READER_CONFIG: no factory reset, keepalive 10 s periodic.
  EXPECT_EQ(sent[1].bytes.at(10), 0x00);
  EXPECT_NE(to_hex(sent[1].bytes).find("00dc00090100002710"), std::string::npos);
  // DELETE/ADD/ENABLE use the default ROSpec id; ADD lists antennas 1 and 2, N = 5.
  EXPECT_NE(to_hex(sent[2].bytes).find("00d06a7e"), std::string::npos);
  EXPECT_NE(to_hex(sent[3].bytes).find("00b1004300d06a7e"), std::string::npos);
  EXPECT_NE(to_hex(sent[3].bytes).find("000200010002"), std::string::npos);
  EXPECT_NE(to_hex(sent[3].bytes).find("00ed000d020005"), std::string::npos);
  // Each request has its own id.
  EXPECT_NE(sent[0].id, sent[1].id);

  reader.send(from_hex(kReport));
  ASSERT_TRUE(test::poll_until([&] { return rec.tags().size() == 1; }, 1s));
  const auto tag = rec.tags()[0];
  EXPECT_EQ(to_hex(tag.epc), "3034f4e4e40ad9c000002694");
  EXPECT_EQ(tag.antenna_id, 1);
  EXPECT_EQ(tag.peak_rssi_dbm, -55);
  EXPECT_TRUE(rec.errors().empty());
  stop_and_wait(link);
}

TEST(ReaderLink, WaitsForConnectionEventAndAcksKeepalivesBeforeIt) {
  test::IoThread io;
  FakeReader reader;
  reader.set_connection_status(1, -1);  // no event yet
  test::LinkRecorder rec;
  ReaderLink link(io.io, fast_options(reader.port()), rec.callbacks());
  link.start();
  ASSERT_TRUE(test::poll_until([&] { return reader.connections() == 1; }, 1s));
  reader.send(from_hex("043e0000000a00000007"));
  ASSERT_TRUE(test::poll_until([&] { return !reader.received().empty(); }, 1s));
  std::this_thread::sleep_for(100ms);  // nothing else may follow before the event
  auto sent = reader.received();
  ASSERT_EQ(sent.size(), 1U);
  EXPECT_EQ(to_hex(sent[0].bytes), "04480000000a00000007");

  reader.send(from_hex("043f0000002000000000 00f60016 0080000c0006304900d74e00 010000060000"));
  ASSERT_TRUE(test::poll_until([&] { return rec.ups() == 1; }, 2s));
  EXPECT_EQ(types(reader.received()).at(1), kGetReaderCapabilities);
  // KEEPALIVE once up: acknowledged with its id.
  reader.send(from_hex("043e0000000a00000123"));
  ASSERT_TRUE(
      test::poll_until([&] { return types(reader.received()).back() == kKeepaliveAck; }, 1s));
  EXPECT_EQ(reader.received().back().id, 0x123U);
  stop_and_wait(link);
}

TEST(ReaderLink, NoConnectionEventTimesOutAndRetries) {
  test::IoThread io;
  FakeReader reader;
  reader.set_connection_status(1, -1);
  test::LinkRecorder rec;
  auto options = fast_options(reader.port());
  options.response_timeout = 150ms;
  ReaderLink link(io.io, options, rec.callbacks());
  link.start();
  ASSERT_TRUE(test::poll_until([&] { return rec.ups() == 1; }, 2s));
  EXPECT_TRUE(rec.has_error("llrp_response_timeout"));
  EXPECT_EQ(reader.connections(), 2);
  EXPECT_TRUE(types(reader.received(), 1).empty()) << "nothing sent before the event";
  stop_and_wait(link);
}

TEST(ReaderLink, RefusedConnectionIsReportedAndRetried) {
  test::IoThread io;
  FakeReader reader;
  reader.set_connection_status(1, 2);
  test::LinkRecorder rec;
  ReaderLink link(io.io, fast_options(reader.port()), rec.callbacks());
  link.start();
  ASSERT_TRUE(test::poll_until([&] { return rec.ups() == 1; }, 2s));
  ASSERT_TRUE(rec.has_error("llrp_connection_refused"));
  const auto error = rec.errors().at(0);
  EXPECT_NE(error.message.find("another client is connected to the reader"), std::string::npos)
      << error.message;
  EXPECT_FALSE(error.raw.empty());
  EXPECT_TRUE(types(reader.received(), 1).empty());
  EXPECT_EQ(types(reader.received(), 2), kConfigureFlow);
  const auto statuses = rec.statuses();
  ASSERT_GE(statuses.size(), 2U);
  EXPECT_FALSE(statuses.front().first);
  stop_and_wait(link);
}

TEST(ReaderLink, ErrorStatusIsReportedThenReconnects) {
  test::IoThread io;
  FakeReader reader;
  reader.set_response_status(kAddRospec, 101);
  test::LinkRecorder rec;
  ReaderLink link(io.io, fast_options(reader.port()), rec.callbacks());
  link.start();
  ASSERT_TRUE(test::poll_until([&] { return reader.connections() >= 2; }, 2s));
  ASSERT_TRUE(rec.has_error("llrp_error_status"));
  const auto error = rec.errors().at(0);
  EXPECT_NE(error.message.find("ADD_ROSPEC rejected"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("M_FieldError (101): fake reader error"), std::string::npos)
      << error.message;
  EXPECT_EQ(rec.ups(), 0);
  // ENABLE_ROSPEC never followed the rejected ADD_ROSPEC.
  EXPECT_EQ(types(reader.received(), 1).back(), kAddRospec);
  stop_and_wait(link);
}

TEST(ReaderLink, DeleteOfAnUnknownRospecIsTolerated) {
  test::IoThread io;
  FakeReader reader;
  reader.set_response_status(kDeleteRospec, 101);
  test::LinkRecorder rec;
  ReaderLink link(io.io, fast_options(reader.port()), rec.callbacks());
  link.start();
  ASSERT_TRUE(test::poll_until([&] { return rec.ups() == 1; }, 2s));
  EXPECT_TRUE(rec.errors().empty());
  EXPECT_EQ(reader.connections(), 1);
  stop_and_wait(link);
}

TEST(ReaderLink, KeepModeOnlyConfiguresEventsAndKeepalive) {
  test::IoThread io;
  FakeReader reader;
  test::LinkRecorder rec;
  auto options = fast_options(reader.port());
  options.rospec_mode = RospecMode::keep;
  options.reset_to_factory = true;  // ignored: it would delete the reader's ROSpec
  ReaderLink link(io.io, options, rec.callbacks());
  link.start();
  ASSERT_TRUE(test::poll_until([&] { return rec.ups() == 1; }, 2s));
  ASSERT_TRUE(test::poll_until([&] { return types(reader.received()).size() == 3; }, 1s));
  const auto sent = reader.received();
  EXPECT_EQ(types(sent), (std::vector<std::uint16_t>{kGetReaderCapabilities, kSetReaderConfig,
                                                     kEnableEventsAndReports}));
  EXPECT_EQ(sent[1].bytes.at(10), 0x00) << "no factory reset in keep mode";
  const auto stop_time = stop_and_wait(link);
  EXPECT_LT(stop_time, 2s);
  EXPECT_EQ(types(reader.received()).back(), kCloseConnection) << "no STOP_ROSPEC in keep mode";
}

TEST(ReaderLink, ErrorMessageIsReportedAndTheLinkStays) {
  test::IoThread io;
  FakeReader reader;
  test::LinkRecorder rec;
  ReaderLink link(io.io, fast_options(reader.port()), rec.callbacks());
  link.start();
  ASSERT_TRUE(test::poll_until([&] { return rec.ups() == 1; }, 2s));
  // ERROR_MESSAGE id 99, M_UnsupportedMessage (109) "no".
  reader.send(from_hex("04640000001400000063 011f000a006d00026e6f"));
  ASSERT_TRUE(test::poll_until([&] { return rec.has_error("llrp_error_message"); }, 1s));
  EXPECT_NE(rec.errors().at(0).message.find("M_UnsupportedMessage (109): no"), std::string::npos)
      << rec.errors().at(0).message;
  reader.send(from_hex(kReport));
  ASSERT_TRUE(test::poll_until([&] { return rec.tags().size() == 1; }, 1s));
  EXPECT_EQ(reader.connections(), 1);
  stop_and_wait(link);
}

TEST(ReaderLink, MalformedStreamIsReportedAndReconnects) {
  test::IoThread io;
  FakeReader reader;
  test::LinkRecorder rec;
  ReaderLink link(io.io, fast_options(reader.port()), rec.callbacks());
  link.start();
  ASSERT_TRUE(test::poll_until([&] { return rec.ups() == 1; }, 2s));
  reader.send(from_hex("a55a00098d01850d0a"));  // sllurp#200: not LLRP
  ASSERT_TRUE(test::poll_until([&] { return rec.ups() == 2; }, 2s));
  ASSERT_TRUE(rec.has_error("llrp_malformed_frame"));
  const auto error = rec.errors().at(0);
  EXPECT_EQ(error.raw, std::string("\xa5\x5a\x00\x09\x8d\x01\x85\x0d\x0a", 9));
  EXPECT_EQ(reader.connections(), 2);
  stop_and_wait(link);
}

TEST(ReaderLink, MalformedReportIsReportedAndTheLinkStays) {
  test::IoThread io;
  FakeReader reader;
  test::LinkRecorder rec;
  ReaderLink link(io.io, fast_options(reader.port()), rec.callbacks());
  link.start();
  ASSERT_TRUE(test::poll_until([&] { return rec.ups() == 1; }, 2s));
  // A tag, then a TagReportData with an unknown TV (25).
  reader.send(
      from_hex("043d0000004000000000 00f00022 8d3034f4e4e40ad9c000002694 810001 86c9 "
               "820006304900d74e00 880003 00f00014 8d3034f4e4e40ad9c000002695 990001"));
  ASSERT_TRUE(test::poll_until([&] { return rec.has_error("llrp_malformed_report"); }, 1s));
  EXPECT_EQ(rec.tags().size(), 1U);
  EXPECT_EQ(rec.errors().at(0).raw.size(), 0x40U);
  reader.send(from_hex(kReport));
  ASSERT_TRUE(test::poll_until([&] { return rec.tags().size() == 2; }, 1s));
  EXPECT_EQ(reader.connections(), 1);
  stop_and_wait(link);
}

TEST(ReaderLink, SilentReaderIsDetected) {
  test::IoThread io;
  FakeReader reader;
  test::LinkRecorder rec;
  auto options = fast_options(reader.port());
  options.keepalive = 100ms;
  options.missed_keepalives = 2;
  ReaderLink link(io.io, options, rec.callbacks());
  link.start();
  ASSERT_TRUE(test::poll_until([&] { return rec.ups() == 1; }, 2s));
  EXPECT_NE(to_hex(reader.received().at(1).bytes).find("00dc00090100000064"), std::string::npos);
  // The fake reader sends no KEEPALIVE: after 2 x 100 ms the link gives up and reconnects.
  ASSERT_TRUE(test::poll_until([&] { return rec.has_error("llrp_reader_silent"); }, 1s));
  ASSERT_TRUE(test::poll_until([&] { return reader.connections() >= 2; }, 1s));
  const auto statuses = rec.statuses();
  ASSERT_GE(statuses.size(), 2U);
  EXPECT_FALSE(statuses[1].first);
  EXPECT_NE(statuses[1].second.find("silent"), std::string::npos) << statuses[1].second;
  stop_and_wait(link);
}

TEST(ReaderLink, KeepalivesKeepASilentLinkUp) {
  test::IoThread io;
  FakeReader reader;
  test::LinkRecorder rec;
  auto options = fast_options(reader.port());
  options.keepalive = 100ms;
  options.missed_keepalives = 2;
  ReaderLink link(io.io, options, rec.callbacks());
  link.start();
  ASSERT_TRUE(test::poll_until([&] { return rec.ups() == 1; }, 2s));
  for (int i = 0; i < 6; ++i) {
    reader.send(from_hex("043e0000000a00000007"));
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_FALSE(rec.has_error("llrp_reader_silent"));
  EXPECT_EQ(reader.connections(), 1);
  stop_and_wait(link);
}

TEST(ReaderLink, ConnectionCloseEventTakesTheLinkDownAndReconnects) {
  test::IoThread io;
  FakeReader reader;
  test::LinkRecorder rec;
  ReaderLink link(io.io, fast_options(reader.port()), rec.callbacks());
  link.start();
  ASSERT_TRUE(test::poll_until([&] { return rec.ups() == 1; }, 2s));
  reader.send(from_hex("043f0000001e00000000 00f60014 0080000c0006304900d74e00 01010004"));
  ASSERT_TRUE(test::poll_until([&] { return rec.ups() == 2; }, 2s));
  const auto statuses = rec.statuses();
  EXPECT_NE(statuses.at(1).second.find("ConnectionCloseEvent"), std::string::npos);
  stop_and_wait(link);
}

TEST(ReaderLink, StopSendsStopRospecAndCloseConnection) {
  test::IoThread io;
  FakeReader reader;
  test::LinkRecorder rec;
  ReaderLink link(io.io, fast_options(reader.port()), rec.callbacks());
  link.start();
  ASSERT_TRUE(test::poll_until([&] { return rec.ups() == 1; }, 2s));
  const auto took = stop_and_wait(link);
  EXPECT_LT(took, 500ms) << "the response ends the wait";
  const auto sent = types(reader.received());
  ASSERT_GE(sent.size(), 2U);
  EXPECT_EQ(sent[sent.size() - 2], kStopRospec);
  EXPECT_EQ(sent.back(), kCloseConnection);
  EXPECT_EQ(rec.statuses().back(),
            std::make_pair(
                false, std::string("127.0.0.1:") + std::to_string(reader.port()) + ": stopped"));
}

TEST(ReaderLink, StopWithoutCloseResponseEndsWithinTheBudget) {
  test::IoThread io;
  FakeReader reader;
  reader.set_answer_close(false);
  test::LinkRecorder rec;
  ReaderLink link(io.io, fast_options(reader.port()), rec.callbacks());
  link.start();
  ASSERT_TRUE(test::poll_until([&] { return rec.ups() == 1; }, 2s));
  const auto took = stop_and_wait(link);
  EXPECT_GE(took, 900ms);
  EXPECT_LT(took, 2s);
  EXPECT_EQ(types(reader.received()).back(), kCloseConnection);
}

TEST(ReaderLink, StopWhileUnreachableIsImmediate) {
  test::IoThread io;
  test::LinkRecorder rec;
  std::uint16_t port = 0;
  {
    FakeReader gone;  // a port that was free a moment ago
    port = gone.port();
  }
  ReaderLink link(io.io, fast_options(port), rec.callbacks());
  link.start();
  ASSERT_TRUE(test::poll_until([&] { return !rec.statuses().empty(); }, 2s));
  EXPECT_FALSE(rec.statuses().front().first);
  EXPECT_LT(stop_and_wait(link), 200ms);
}

}  // namespace
}  // namespace dockgate::drivers::llrp

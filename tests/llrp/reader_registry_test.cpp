// SPDX-License-Identifier: Apache-2.0
// The shared-connection registry: entries naming one reader share one LLRP connection.
#include "drivers/llrp/reader_registry.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "drivers/llrp/llrp_frame.hpp"
#include "tests/llrp/fake_reader.hpp"
#include "tests/llrp/hex.hpp"
#include "tests/llrp/link_fixture.hpp"
#include "tests/support/wait.hpp"

namespace dockgate::drivers::llrp {
namespace {

using namespace std::chrono_literals;

ReaderLinkOptions options_for(std::uint16_t port) {
  ReaderLinkOptions options;
  options.host = "127.0.0.1";
  options.port = port;
  options.response_timeout = 500ms;
  options.reconnect_min = 20ms;
  options.reconnect_max = 100ms;
  return options;
}

TEST(ReaderRegistry, AReloadReconnectsOnlyAfterTheOldConnectionClosed) {
  // A config reload stops a door's driver and starts its successor at once. The reader
  // serves one client, so the new link must wait for the old one's close (here the reader
  // never answers CLOSE_CONNECTION: the old link gives up after its 1 s) instead of being
  // refused with a false llrp_connection_refused alarm.
  test::IoThread io;
  test::FakeReader reader;
  reader.set_answer_close(false);
  test::LinkRecorder before;
  test::LinkRecorder after;
  const auto old_sub = subscribe_reader(io.io, options_for(reader.port()), before.callbacks());
  ASSERT_TRUE(test::poll_until([&] { return before.ups() == 1; }, 2s));
  std::promise<void> closed;
  unsubscribe_reader(old_sub, [&closed] { closed.set_value(); });
  const auto new_sub = subscribe_reader(io.io, options_for(reader.port()), after.callbacks());
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(reader.connections(), 1) << "connected while the old connection was still open";
  ASSERT_EQ(closed.get_future().wait_for(3s), std::future_status::ready);
  ASSERT_TRUE(test::poll_until([&] { return after.ups() == 1; }, 3s));
  EXPECT_EQ(reader.connections(), 2);
  EXPECT_TRUE(after.errors().empty()) << after.errors().front().message;
  std::promise<void> done;
  unsubscribe_reader(new_sub, [&done] { done.set_value(); });
  ASSERT_EQ(done.get_future().wait_for(3s), std::future_status::ready);
  EXPECT_EQ(open_reader_count(), 0U);
}

TEST(ReaderRegistry, EntriesShareOneConnectionUntilTheLastLeaves) {
  test::IoThread io;
  test::FakeReader reader;
  test::LinkRecorder door1;
  test::LinkRecorder door2;
  const auto sub1 = subscribe_reader(io.io, options_for(reader.port()), door1.callbacks());
  ASSERT_TRUE(test::poll_until([&] { return door1.ups() == 1; }, 2s));
  const auto sub2 = subscribe_reader(io.io, options_for(reader.port()), door2.callbacks());
  // The late subscriber hears the current status.
  ASSERT_TRUE(test::poll_until([&] { return door2.ups() == 1; }, 1s));
  EXPECT_EQ(open_reader_count(), 1U);
  EXPECT_EQ(reader.connections(), 1);

  reader.send(
      test::from_hex("043d0000002c00000000 00f00022 8d3034f4e4e40ad9c000002694 810001 "
                     "86c9 820006304900d74e00 880003"));
  ASSERT_TRUE(
      test::poll_until([&] { return door1.tags().size() == 1 && door2.tags().size() == 1; }, 1s));
  EXPECT_EQ(door1.tags()[0].epc, door2.tags()[0].epc);

  unsubscribe_reader(sub1);
  EXPECT_EQ(open_reader_count(), 1U);
  reader.send(
      test::from_hex("043d0000002c00000000 00f00022 8d3034f4e4e40ad9c000002694 810002 "
                     "86c9 820006304900d74e00 880003"));
  ASSERT_TRUE(test::poll_until([&] { return door2.tags().size() == 2; }, 1s));
  EXPECT_EQ(door1.tags().size(), 1U) << "no sightings after unsubscribe";

  std::promise<void> done;
  unsubscribe_reader(sub2, [&done] { done.set_value(); });
  ASSERT_EQ(done.get_future().wait_for(2s), std::future_status::ready);
  EXPECT_EQ(open_reader_count(), 0U);
  EXPECT_EQ(reader.received().back().type, kCloseConnection);
}

TEST(ReaderRegistry, ConflictingOptionsAreNamed) {
  auto a = options_for(5084);
  auto b = a;
  EXPECT_EQ(options_conflict(a, b), "");
  b.rospec_id = 7;
  b.antennas = {1, 2};
  const auto diff = options_conflict(a, b);
  EXPECT_NE(diff.find("rospec_id 13658750 vs 7"), std::string::npos) << diff;
  EXPECT_NE(diff.find("antennas [] vs [1,2]"), std::string::npos) << diff;
  EXPECT_EQ(reader_key(a), "127.0.0.1:5084");
}

}  // namespace
}  // namespace dockgate::drivers::llrp

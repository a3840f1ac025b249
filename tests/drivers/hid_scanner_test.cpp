// SPDX-License-Identifier: Apache-2.0
// hid_scanner end to end through its FIFO replay mode: the same open/read/decode path as an
// evdev device, fed with recorded struct input_event streams (this machine has no
// /dev/uinput; hid_uinput_test.cpp covers a real device where one exists).
#include "drivers/hid_scanner/hid_scanner.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/asio/io_context.hpp>
#include <cerrno>
#include <csignal>
#include <fstream>
#include <memory>

#include "agent/clock.hpp"
#include "hid_events.hpp"
#include "hid_fifo_writer.hpp"
#include "socat_pty.hpp"
#include "test_sink.hpp"

namespace dockgate::drivers {
namespace {

using test::FifoWriter;
using test::RecordingSink;
using test::run_until;

std::string typed(const std::string& text) {
  return test::to_bytes(test::key_events(test::us_strokes(text)));
}

class HidScannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A write to a FIFO whose reader just closed must fail with EPIPE, not kill the test.
    std::signal(SIGPIPE, SIG_IGN);
  }
  void TearDown() override { test::drain(io); }

  std::string make_fifo(const std::string& name = "scanner.fifo") {
    std::string path = (dir.path() / name).string();
    EXPECT_EQ(::mkfifo(path.c_str(), 0600), 0) << path;
    return path;
  }

  std::unique_ptr<HidScanner> make(const std::string& device) {
    HidOptions o;
    o.device = device;
    o.reopen_min = std::chrono::milliseconds(20);
    o.reopen_max = std::chrono::milliseconds(100);
    return std::make_unique<HidScanner>(DriverContext{io, sink, "hid-1", "door-07"}, o);
  }

  test::TempDir dir;
  boost::asio::io_context io;
  RecordingSink sink;
};

TEST_F(HidScannerTest, Gs1ScansArriveFromRecordedEventStream) {
  const auto fifo = make_fifo();
  auto driver = make(fifo);
  driver->start();
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true) == 1; }));
  EXPECT_EQ(sink.statuses.back().detail, fifo + " layout us, FIFO replay");
  EXPECT_EQ(sink.statuses.back().driver_id, "hid-1");

  FifoWriter writer(fifo);
  const auto before = now_utc_ms();
  // Written in 101-byte pieces (not a multiple of the 24-byte record) so records arrive
  // split across reads.
  const std::string bytes = typed("]C100340123450000000420\n") + typed(
                                                                     "]C10104012345111118"
                                                                     "10LOT7\x1d"
                                                                     "21SER9\n");
  for (std::size_t i = 0; i < bytes.size(); i += 101) {
    writer.write(bytes.substr(i, 101));
    io.run_for(std::chrono::microseconds(200));
  }
  ASSERT_TRUE(run_until(io, [&] { return sink.reads.size() == 2; })) << sink.reads.size();
  const auto after = now_utc_ms();
  EXPECT_EQ(sink.reads[0].symbology_id, "]C1");
  EXPECT_EQ(sink.reads[0].data, "00340123450000000420");
  EXPECT_EQ(sink.reads[1].symbology_id, "]C1");
  EXPECT_EQ(sink.reads[1].data,
            "0104012345111118"
            "10LOT7\x1d"
            "21SER9");
  for (const auto& r : sink.reads) {
    EXPECT_EQ(r.driver_id, "hid-1");
    EXPECT_EQ(r.location_id, "door-07");
    EXPECT_GE(r.time_ms, before);
    EXPECT_LE(r.time_ms, after);
  }
  EXPECT_TRUE(sink.errors.empty());
  driver->stop();
  EXPECT_TRUE(sink.last_status_is(false, "stopped"));
}

TEST_F(HidScannerTest, WriterGoneIsDeviceDownAndReopensWhenItReturns) {
  const auto fifo = make_fifo();
  auto driver = make(fifo);
  driver->start();
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true) == 1; }));
  {
    FifoWriter writer(fifo);
    writer.write(typed("]C1123\n") + typed("45"));  // "45" is cut off by the unplug
    ASSERT_TRUE(run_until(io, [&] { return sink.reads.size() == 1; }));
  }
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(false) == 1; }));
  EXPECT_NE(sink.statuses.back().detail.find("end of input"), std::string::npos)
      << sink.statuses.back().detail;
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true) == 2; }));

  FifoWriter writer(fifo);
  writer.write(typed("67\n"));
  ASSERT_TRUE(run_until(io, [&] { return sink.reads.size() == 2; }));
  EXPECT_EQ(sink.reads[0].data, "123");
  EXPECT_EQ(sink.reads[1].data, "67");  // the partial "45" was dropped, not glued on
  EXPECT_EQ(sink.count_status(false), 1u);
  driver->stop();
}

TEST_F(HidScannerTest, MissingDeviceIsRetriedUntilItAppears) {
  const std::string path = (dir.path() / "later.fifo").string();
  auto driver = make(path);
  driver->start();
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(false) == 1; }));
  EXPECT_NE(sink.statuses.back().detail.find("not plugged in"), std::string::npos)
      << sink.statuses.back().detail;
  io.run_for(std::chrono::milliseconds(150));  // several retries: still one down report
  EXPECT_EQ(sink.statuses.size(), 1u);
  make_fifo("later.fifo");
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true) == 1; }));
  driver->stop();
}

TEST_F(HidScannerTest, RegularFileIsRejectedAsNotAnInputDevice) {
  const auto path = (dir.path() / "events.bin").string();
  std::ofstream(path) << typed("12\n");
  auto driver = make(path);
  driver->start();
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(false) == 1; }));
  EXPECT_NE(sink.statuses.back().detail.find("not an input event device"), std::string::npos)
      << sink.statuses.back().detail;
  EXPECT_TRUE(sink.reads.empty());
  driver->stop();
}

TEST_F(HidScannerTest, UnknownKeyInScanIsReportedAsReadError) {
  const auto fifo = make_fifo();
  auto driver = make(fifo);
  driver->start();
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true) == 1; }));
  FifoWriter writer(fifo);
  auto strokes = test::us_strokes("12");
  strokes.push_back({KEY_F12});
  for (const auto& s : test::us_strokes("3\n")) strokes.push_back(s);
  writer.write(test::to_bytes(test::key_events(strokes)));
  ASSERT_TRUE(run_until(io, [&] { return sink.errors.size() == 1; }));
  EXPECT_EQ(sink.errors[0].kind, "unknown_key");
  EXPECT_EQ(sink.errors[0].data, "123");
  EXPECT_EQ(sink.errors[0].driver_id, "hid-1");
  EXPECT_TRUE(sink.reads.empty());
  driver->stop();
}

TEST(HidFailureDetail, PermissionDeniedNamesTheInputGroup) {
  EXPECT_EQ(hid_failure_detail("/dev/input/by-id/usb-X-event-kbd", "open", EACCES),
            "permission denied opening /dev/input/by-id/usb-X-event-kbd: add the dockgate user "
            "to group 'input' (SupplementaryGroups=input)");
  EXPECT_NE(hid_failure_detail("/dev/input/event3", "grab", EBUSY).find("another program"),
            std::string::npos);
  EXPECT_NE(hid_failure_detail("/dev/input/event3", "read", ENODEV).find("unplugged"),
            std::string::npos);
}

}  // namespace
}  // namespace dockgate::drivers

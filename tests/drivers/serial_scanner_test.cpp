// SPDX-License-Identifier: Apache-2.0
// serial_scanner against a real pty pair made by socat (see socat_pty.hpp).
#include "drivers/serial_scanner/serial_scanner.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <fstream>
#include <memory>

#include "agent/clock.hpp"
#include "socat_pty.hpp"
#include "test_sink.hpp"

namespace dockgate::drivers {
namespace {

using test::RecordingSink;
using test::run_until;

class SerialScannerTest : public ::testing::Test {
 protected:
  SerialOptions options_for(const std::string& device) {
    SerialOptions o;
    o.device = device;
    o.reopen_min = std::chrono::milliseconds(20);
    o.reopen_max = std::chrono::milliseconds(100);
    return o;
  }

  std::unique_ptr<SerialScanner> make(const SerialOptions& o, RecordingSink& to,
                                      const std::string& id = "scanner-1") {
    return std::make_unique<SerialScanner>(DriverContext{io, to, id, "door-03"}, o);
  }

  void TearDown() override { test::drain(io); }

  test::TempDir dir;
  boost::asio::io_context io;
  RecordingSink sink;
};

TEST_F(SerialScannerTest, ReadsArriveWithSymbologyIdAndBytesIntact) {
  test::SocatPty pty(dir.path());
  auto driver = make(options_for(pty.host_path()), sink);
  driver->start();
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true) == 1; }));
  EXPECT_EQ(sink.statuses.back().detail, pty.host_path() + " 9600 8N1");
  EXPECT_EQ(sink.statuses.back().driver_id, "scanner-1");

  std::string binary = "]Q1";
  for (int b : {0x00, 0x01, 0x1d, 0x7f, 0x80, 0xc3, 0xa9, 0xff})
    binary.push_back(static_cast<char>(b));
  const auto before = now_utc_ms();
  pty.write("]C100340123450000000420\r\n");
  pty.write(
      "]d20104012345111118\x1d"
      "10LOT7\r");
  pty.write(binary + "\n");
  ASSERT_TRUE(run_until(io, [&] { return sink.reads.size() == 3; })) << sink.reads.size();
  const auto after = now_utc_ms();

  EXPECT_EQ(sink.reads[0].symbology_id, "]C1");
  EXPECT_EQ(sink.reads[0].data, "00340123450000000420");
  EXPECT_EQ(sink.reads[1].symbology_id, "]d2");
  EXPECT_EQ(sink.reads[1].data,
            "0104012345111118\x1d"
            "10LOT7");
  EXPECT_EQ(sink.reads[2].symbology_id, "]Q1");
  EXPECT_EQ(sink.reads[2].data, binary.substr(3));
  for (const auto& r : sink.reads) {
    EXPECT_EQ(r.driver_id, "scanner-1");
    EXPECT_EQ(r.location_id, "door-03");
    EXPECT_GE(r.time_ms, before);
    EXPECT_LE(r.time_ms, after);
  }
  EXPECT_TRUE(sink.errors.empty());

  driver->stop();
  EXPECT_TRUE(sink.last_status_is(false, "stopped"));
}

TEST_F(SerialScannerTest, AppliesLineSettingsAndClaimsThePortExclusively) {
  test::SocatPty pty(dir.path());
  // Linux ptys force CS8 without parity (tcsetattr refuses CS7 / PARENB alone), so 7-bit
  // and parity settings can only be exercised on a real UART; speed, stop bits and flow
  // control are kept by the pty and checked here.
  SerialOptions o = options_for(pty.host_path());
  o.baud = 19200;
  o.stop_bits = 2;
  o.flow_control = FlowControl::hardware;
  auto driver = make(o, sink);
  driver->start();
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true) == 1; }))
      << (sink.statuses.empty() ? "" : sink.statuses.back().detail);
  EXPECT_EQ(sink.statuses.back().detail, pty.host_path() + " 19200 8N2 RTS/CTS");

  // TIOCEXCL lets only root open the tty a second time; root is used to inspect it.
  const int fd = ::open(pty.host_path().c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (::geteuid() != 0) {
    EXPECT_LT(fd, 0);
    EXPECT_EQ(errno, EBUSY);
  } else {
    ASSERT_GE(fd, 0);
    int exclusive = 0;
    ASSERT_EQ(::ioctl(fd, TIOCGEXCL, &exclusive), 0);
    EXPECT_EQ(exclusive, 1);
    termios t{};
    ASSERT_EQ(::tcgetattr(fd, &t), 0);
    EXPECT_EQ(t.c_cflag & CSIZE, static_cast<tcflag_t>(CS8));
    EXPECT_EQ(t.c_cflag & PARENB, 0u);
    EXPECT_NE(t.c_cflag & CSTOPB, 0u);
    EXPECT_NE(t.c_cflag & CRTSCTS, 0u);
    EXPECT_EQ(t.c_iflag & (IXON | IXOFF), 0u);
    EXPECT_EQ(::cfgetispeed(&t), static_cast<speed_t>(B19200));
    ::close(fd);
  }
  driver->stop();
}

TEST_F(SerialScannerTest, SecondOpenerIsRefusedUntilTheFirstLetsGo) {
  test::SocatPty pty(dir.path());
  RecordingSink other_sink;
  auto first = make(options_for(pty.host_path()), sink, "first");
  auto second = make(options_for(pty.host_path()), other_sink, "second");
  first->start();
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true) == 1; }));
  second->start();
  ASSERT_TRUE(run_until(io, [&] { return other_sink.count_status(false) == 1; }));
  EXPECT_NE(other_sink.statuses.back().detail.find("Device or resource busy"), std::string::npos)
      << other_sink.statuses.back().detail;
  EXPECT_NE(other_sink.statuses.back().detail.find("another program has the port open"),
            std::string::npos);

  // The refused driver keeps retrying; once the port is free it gets it.
  first->stop();
  ASSERT_TRUE(run_until(io, [&] { return other_sink.count_status(true) == 1; }));
  pty.write("]E04012345000016\r");
  ASSERT_TRUE(run_until(io, [&] { return other_sink.reads.size() == 1; }));
  EXPECT_EQ(other_sink.reads[0].driver_id, "second");
  EXPECT_TRUE(sink.reads.empty());
  second->stop();
}

TEST_F(SerialScannerTest, MissingDeviceAtStartIsReportedDownAndRetried) {
  const std::string host = (dir.path() / "host").string();
  auto driver = make(options_for(host), sink);
  driver->start();
  ASSERT_EQ(sink.statuses.size(), 1u);  // reported at once, not after the first retry
  EXPECT_FALSE(sink.statuses[0].up);
  EXPECT_NE(sink.statuses[0].detail.find("No such file or directory"), std::string::npos)
      << sink.statuses[0].detail;

  // Several retries fail quietly (no status per attempt), then the device appears.
  run_until(
      io, [] { return false; }, std::chrono::milliseconds(150));
  EXPECT_EQ(sink.statuses.size(), 1u);
  test::SocatPty pty(dir.path());
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true) == 1; }));
  pty.write("]C1HELLO\r\n");
  ASSERT_TRUE(run_until(io, [&] { return sink.reads.size() == 1; }));
  EXPECT_EQ(sink.reads[0].data, "HELLO");
  driver->stop();
}

TEST_F(SerialScannerTest, PathThatIsNotATerminalIsReportedDown) {
  const auto file = dir.path() / "not-a-tty";
  { std::ofstream(file) << "x"; }
  auto driver = make(options_for(file.string()), sink);
  driver->start();
  ASSERT_EQ(sink.statuses.size(), 1u);
  EXPECT_FALSE(sink.statuses[0].up);
  EXPECT_NE(sink.statuses[0].detail.find("Inappropriate ioctl for device"), std::string::npos)
      << sink.statuses[0].detail;
  // Retried at the backoff pace, quietly: still exactly one status after several attempts.
  run_until(
      io, [] { return false; }, std::chrono::milliseconds(100));
  EXPECT_EQ(sink.statuses.size(), 1u);
  driver->stop();
}

TEST_F(SerialScannerTest, UnplugReportsDownAndReplugResumesReads) {
  auto pty = std::make_unique<test::SocatPty>(dir.path());
  auto driver = make(options_for(pty->host_path()), sink);
  driver->start();
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true) == 1; }));
  pty->write("]C1BEFORE\r");
  ASSERT_TRUE(run_until(io, [&] { return sink.reads.size() == 1; }));

  pty->unplug();
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(false) == 1; }));
  EXPECT_NE(sink.statuses.back().detail.find("read " + pty->host_path()), std::string::npos)
      << sink.statuses.back().detail;

  pty = std::make_unique<test::SocatPty>(dir.path());  // same link paths, new pts
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true) == 2; }));
  EXPECT_EQ(sink.count_status(false), 1u);  // one down per outage, not one per retry
  pty->write("]C1AFTER\r");
  ASSERT_TRUE(run_until(io, [&] { return sink.reads.size() == 2; }));
  EXPECT_EQ(sink.reads[1].data, "AFTER");
  EXPECT_EQ(sink.reads[1].symbology_id, "]C1");
  driver->stop();
}

TEST_F(SerialScannerTest, FramingErrorsReachTheSink) {
  test::SocatPty pty(dir.path());
  SerialOptions o = options_for(pty.host_path());
  o.framing.max_frame_bytes = 32;
  o.framing.aim_prefix = AimPrefix::required;
  o.framing.gs_substitute = "~";
  auto driver = make(o, sink);
  driver->start();
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true) == 1; }));
  pty.write(std::string(100, 'A') + "\r\n4012345000016\r\n]d201040123451111181~0ABC\r\n");
  ASSERT_TRUE(run_until(io, [&] { return sink.errors.size() == 2 && sink.reads.size() == 1; }));
  EXPECT_EQ(sink.errors[0].kind, "frame_too_long");
  EXPECT_EQ(sink.errors[0].driver_id, "scanner-1");
  EXPECT_EQ(sink.errors[0].location_id, "door-03");
  EXPECT_EQ(sink.errors[1].kind, "missing_symbology_identifier");
  EXPECT_EQ(sink.reads[0].data,
            "01040123451111181\x1d"
            "0ABC");
  driver->stop();
}

TEST_F(SerialScannerTest, DestroyingARunningDriverIsSafe) {
  test::SocatPty pty(dir.path());
  auto driver = make(options_for(pty.host_path()), sink);
  driver->start();
  ASSERT_TRUE(run_until(io, [&] { return sink.count_status(true) == 1; }));
  driver.reset();  // pending read handler must not touch the destroyed driver
  const std::size_t statuses = sink.statuses.size();
  test::drain(io);
  EXPECT_EQ(sink.statuses.size(), statuses);
}

}  // namespace
}  // namespace dockgate::drivers

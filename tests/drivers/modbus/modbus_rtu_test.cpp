// SPDX-License-Identifier: Apache-2.0
// The modbus driver over RTU: a socat pty pair stands in for the RS-485 adapter, a libmodbus
// RTU server (unit 1) in the test process sits on the other end.
#include <gtest/gtest.h>

#include <optional>

#include "drivers/modbus/bus_registry.hpp"
#include "drivers/modbus/modbus_driver.hpp"
#include "libmodbus_rtu_server.hpp"
#include "modbus_test_util.hpp"
#include "tests/drivers/socat_pty.hpp"
#include "tests/support/wait.hpp"

namespace dockgate::drivers::test {
namespace {

class ModbusRtu : public ::testing::Test {
 protected:
  ModbusRtu() { plug_in(); }

  // socat makes the pty pair (the "adapter"); the RTU server opens the device end.
  void plug_in() {
    server_.reset();
    pty_.reset();
    pty_.emplace(dir_.path());
    server_.emplace((dir_.path() / "scanner").string(), 1);
  }

  void TearDown() override {
    for (auto& d : drivers_) d->stop();
    drain(io_);
    EXPECT_EQ(open_bus_count(), 0u);
  }

  ModbusOptions rtu_door(int unit) {
    ModbusOptions o;
    o.bus.transport = ModbusTransport::rtu;
    o.bus.device = pty_->host_path();
    o.bus.response_timeout = milliseconds(150);
    o.bus.reconnect_min = milliseconds(50);
    o.bus.reconnect_max = milliseconds(200);
    o.unit_id = unit;
    o.poll_interval = milliseconds(20);
    o.points = {point("trailer_present", PointSource::discrete_input, 0, milliseconds(100)),
                point("door_open", PointSource::discrete_input, 1, milliseconds(100))};
    return o;
  }

  ModbusDriver& make(const ModbusOptions& options, const std::string& id,
                     const std::string& location) {
    drivers_.push_back(
        std::make_unique<ModbusDriver>(DriverContext{io_, sink_, id, location}, options));
    return *drivers_.back();
  }

  TempDir dir_;
  std::optional<SocatPty> pty_;
  std::optional<LibmodbusRtuServer> server_;
  boost::asio::io_context io_;
  RecordingSink sink_;
  std::vector<std::unique_ptr<ModbusDriver>> drivers_;
};

TEST_F(ModbusRtu, ReadsInitialValuesChangesAndPulsesACoil) {
  server_->set_discrete_input(0, true);
  auto options = rtu_door(1);
  options.outputs[0] = ModbusOutput{true, 3, milliseconds(200)};
  auto& d = make(options, "door05-io", "door-05");
  d.start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 2; }));
  const std::string uri = "modbus-rtu://" + pty_->host_path();
  EXPECT_EQ(sink_.statuses.at(0).detail, uri + " unit 1 (9600 8N1)");
  EXPECT_TRUE(sink_.signals[0].initial);
  EXPECT_TRUE(sink_.signals[0].value);
  EXPECT_EQ(sink_.signals[0].device_id, uri + "/unit/1");
  server_->set_discrete_input(1, true);
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 3; }));
  EXPECT_EQ(sink_.signals[2].point, "door_open");
  EXPECT_TRUE(sink_.signals[2].value);
  EXPECT_FALSE(sink_.signals[2].initial);

  d.feedback(Feedback{"door-05", FeedbackSignal::green});
  ASSERT_TRUE(dockgate::test::poll_until([&] { return server_->coil(3); }, milliseconds(1000)));
  ASSERT_TRUE(dockgate::test::poll_until([&] { return !server_->coil(3); }, milliseconds(1000)));
}

TEST_F(ModbusRtu, ASilentUnitIsOnlyItsDoorsProblem) {
  // Unit 2 has no device on the line: its requests time out; unit 1 keeps working.
  auto& present = make(rtu_door(1), "door05-io", "door-05");
  auto& absent = make(rtu_door(2), "door06-io", "door-06");
  present.start();
  absent.start();
  ASSERT_TRUE(
      run_until(io_, [&] { return sink_.signals.size() >= 2 && sink_.count_status(false) >= 1; }));
  EXPECT_EQ(open_bus_count(), 1u);
  const std::string uri = "modbus-rtu://" + pty_->host_path();
  ASSERT_EQ(sink_.count_status(false), 1u);
  for (const auto& s : sink_.statuses) {
    if (s.up) {
      EXPECT_EQ(s.location_id, "door-05");
    } else {
      EXPECT_EQ(s.location_id, "door-06");
      EXPECT_EQ(s.detail,
                "no response within 150 ms: read discrete inputs 0..1 at unit 2 (" + uri + ")");
    }
  }
  server_->set_discrete_input(0, true);
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 3; }));
  EXPECT_EQ(sink_.signals[2].location_id, "door-05");
  EXPECT_EQ(sink_.count_status(false), 1u) << "unit 2 retries quietly";
  EXPECT_GT(server_->ignored(), 0);
}

TEST_F(ModbusRtu, UnplugIsOneOutageThenItReopens) {
  auto& d = make(rtu_door(1), "door05-io", "door-05");
  d.start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 2; }));
  const std::string uri = "modbus-rtu://" + pty_->host_path();
  server_.reset();
  pty_->unplug();  // the adapter goes away: reads fail, the device path disappears
  ASSERT_TRUE(run_until(io_, [&] { return sink_.last_status_is(false); }));
  run_for(io_, milliseconds(400));  // reopen attempts fail: no such file
  ASSERT_EQ(sink_.count_status(false), 1u);
  // The pty's other end vanishing reads as EIO, or as ECONNRESET when the kernel sees the
  // hang-up mid-read (timing: seen under ASan); both name the device, the cause, the read.
  const std::string detail = sink_.statuses.back().detail;
  EXPECT_TRUE(detail == uri +
                            ": device error (Input/output error) to read discrete inputs 0..1 "
                            "at unit 1" ||
              detail == uri +
                            ": device error (Connection reset by peer) to read discrete "
                            "inputs 0..1 at unit 1")
      << detail;
  plug_in();
  server_->set_discrete_input(0, true);
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 4; }));
  EXPECT_EQ(sink_.count_status(true), 2u);
  EXPECT_TRUE(sink_.signals[2].initial);
  EXPECT_TRUE(sink_.signals[2].value);
}

}  // namespace
}  // namespace dockgate::drivers::test

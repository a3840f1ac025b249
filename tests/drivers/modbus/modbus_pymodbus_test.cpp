// SPDX-License-Identifier: Apache-2.0
// The modbus driver against an independent Modbus implementation: pymodbus (Debian's
// python3-pymodbus) serving TCP in a child process, driven through pymodbus_door_sim.py.
#include <gtest/gtest.h>

#include "door_sim_process.hpp"
#include "drivers/modbus/modbus_driver.hpp"
#include "modbus_test_util.hpp"
#include "tests/support/net.hpp"
#include "tests/support/wait.hpp"

namespace dockgate::drivers::test {
namespace {

TEST(ModbusPymodbus, ReadsInputsAndRegisterBitsAndReportsChanges) {
  const std::uint16_t port = dockgate::test::free_tcp_port();
  DoorSimProcess sim(port, {"--set", "di:0=1", "--set", "hr:3=0x8000"});
  boost::asio::io_context io;
  RecordingSink sink;
  auto options =
      tcp_door(port, 1,
               {point("trailer_present", PointSource::discrete_input, 0, milliseconds(150)),
                point("door_open", PointSource::discrete_input, 1, milliseconds(150)),
                point("dock_lock", PointSource::holding_register, 3, milliseconds(150), 15)});
  ModbusDriver d(DriverContext{io, sink, "door09-io", "door-09"}, options);
  d.start();
  ASSERT_TRUE(run_until(
      io, [&] { return sink.signals.size() >= 3; }, milliseconds(3000)));
  EXPECT_TRUE(sink.signals[0].value);
  EXPECT_FALSE(sink.signals[1].value);
  EXPECT_TRUE(sink.signals[2].value);
  EXPECT_TRUE(sink.signals[2].initial);
  EXPECT_EQ(sim.command("set di 1 1"), "ok");
  ASSERT_TRUE(run_until(io, [&] { return sink.signals.size() >= 4; }));
  EXPECT_EQ(sink.signals[3].point, "door_open");
  EXPECT_TRUE(sink.signals[3].value);
  EXPECT_FALSE(sink.signals[3].initial);
  EXPECT_EQ(sim.command("connections"), "1");
  d.stop();
}

TEST(ModbusPymodbus, FeedbackPulseIsSeenByTheSimulator) {
  const std::uint16_t port = dockgate::test::free_tcp_port();
  DoorSimProcess sim(port, {});
  boost::asio::io_context io;
  RecordingSink sink;
  auto options = tcp_door(
      port, 1, {point("trailer_present", PointSource::discrete_input, 0, milliseconds(0))});
  options.outputs[0] = ModbusOutput{true, 10, milliseconds(300)};
  ModbusDriver d(DriverContext{io, sink, "door09-io", "door-09"}, options);
  d.start();
  ASSERT_TRUE(run_until(
      io, [&] { return sink.last_status_is(true); }, milliseconds(3000)));
  EXPECT_EQ(sim.command("get coil 10"), "0");
  d.feedback(Feedback{"door-09", FeedbackSignal::green});
  EXPECT_TRUE(dockgate::test::poll_until([&] { return sim.command("get coil 10") == "1"; },
                                         milliseconds(1000), milliseconds(20)));
  EXPECT_TRUE(dockgate::test::poll_until([&] { return sim.command("get coil 10") == "0"; },
                                         milliseconds(1500), milliseconds(20)));
  d.stop();
}

}  // namespace
}  // namespace dockgate::drivers::test

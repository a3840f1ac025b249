// SPDX-License-Identifier: Apache-2.0
// The modbus driver against a real libmodbus TCP server in the test process (127.0.0.1).
#include <gtest/gtest.h>

#include <modbus.h>

#include <chrono>

#include "agent/clock.hpp"
#include "drivers/modbus/bus_registry.hpp"
#include "drivers/modbus/modbus_driver.hpp"
#include "libmodbus_tcp_server.hpp"
#include "modbus_test_util.hpp"
#include "tests/support/net.hpp"
#include "tests/support/wait.hpp"

namespace dockgate::drivers::test {
namespace {

using Clock = std::chrono::steady_clock;

class ModbusTcp : public ::testing::Test {
 protected:
  ModbusTcp() : port_(dockgate::test::free_tcp_port()), server_(port_) {}

  void TearDown() override {
    for (auto& d : drivers_) d->stop();
    drain(io_);
    EXPECT_EQ(open_bus_count(), 0u);
  }

  ModbusDriver& make(const ModbusOptions& options, const std::string& id = "door03-io",
                     const std::string& location = "door-03") {
    drivers_.push_back(
        std::make_unique<ModbusDriver>(DriverContext{io_, sink_, id, location}, options));
    return *drivers_.back();
  }

  std::string uri() const { return "modbus-tcp://127.0.0.1:" + std::to_string(port_); }

  std::uint16_t port_;
  LibmodbusTcpServer server_;
  boost::asio::io_context io_;
  RecordingSink sink_;
  std::vector<std::unique_ptr<ModbusDriver>> drivers_;
};

std::vector<ModbusPoint> trailer_and_door(milliseconds debounce) {
  return {point("trailer_present", PointSource::discrete_input, 0, debounce),
          point("door_open", PointSource::discrete_input, 1, debounce)};
}

TEST_F(ModbusTcp, FirstReadReportsEveryPointAsInitialWithoutDebounce) {
  server_.set_discrete_input(1, 0, true);
  auto& d = make(tcp_door(port_, 1, trailer_and_door(milliseconds(5000))));
  const std::int64_t before = now_utc_ms();
  d.start();
  ASSERT_TRUE(run_until(
      io_, [&] { return sink_.signals.size() >= 2; }, milliseconds(2000)));
  ASSERT_EQ(sink_.statuses.size(), 1u);
  EXPECT_TRUE(sink_.statuses[0].up);
  EXPECT_EQ(sink_.statuses[0].detail, uri() + " unit 1");
  EXPECT_EQ(sink_.statuses[0].location_id, "door-03");
  const auto& trailer = sink_.signals[0];
  EXPECT_EQ(trailer.point, "trailer_present");
  EXPECT_TRUE(trailer.value);
  EXPECT_TRUE(trailer.initial);
  EXPECT_EQ(trailer.driver_id, "door03-io");
  EXPECT_EQ(trailer.location_id, "door-03");
  EXPECT_EQ(trailer.device_id, uri() + "/unit/1");
  EXPECT_GE(trailer.time_ms, before);
  EXPECT_LE(trailer.time_ms, now_utc_ms());
  EXPECT_EQ(sink_.signals[1].point, "door_open");
  EXPECT_FALSE(sink_.signals[1].value);
  EXPECT_TRUE(sink_.signals[1].initial);
}

TEST_F(ModbusTcp, ChangeIsReportedAfterDebounceWithTheTimeItWasFirstSeen) {
  auto& d = make(tcp_door(port_, 1, trailer_and_door(milliseconds(300))));
  d.start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 2; }));
  const std::int64_t changed_ms = now_utc_ms();
  const auto changed = Clock::now();
  server_.set_discrete_input(1, 1, true);  // the door opens
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 3; }));
  const auto reported_after = Clock::now() - changed;
  const auto& s = sink_.signals[2];
  EXPECT_EQ(s.point, "door_open");
  EXPECT_TRUE(s.value);
  EXPECT_FALSE(s.initial);
  EXPECT_GE(reported_after, milliseconds(300));
  // Stamped when the first poll saw it (polls every 20 ms), not when the debounce ended.
  EXPECT_GE(s.time_ms, changed_ms);
  EXPECT_LT(s.time_ms, changed_ms + 150);
}

TEST_F(ModbusTcp, ChatterShorterThanDebounceIsSuppressed) {
  auto& d = make(tcp_door(port_, 1, trailer_and_door(milliseconds(400))));
  d.start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 2; }));
  for (int i = 0; i < 3; ++i) {  // a trailer bumping the sensor: 100 ms on, 100 ms off
    server_.set_discrete_input(1, 0, true);
    run_for(io_, milliseconds(100));
    server_.set_discrete_input(1, 0, false);
    run_for(io_, milliseconds(100));
  }
  run_for(io_, milliseconds(500));
  EXPECT_EQ(sink_.signals.size(), 2u);
  // A change that holds is still reported.
  server_.set_discrete_input(1, 0, true);
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 3; }));
  EXPECT_EQ(sink_.signals[2].point, "trailer_present");
  EXPECT_TRUE(sink_.signals[2].value);
}

TEST_F(ModbusTcp, RegisterBitsAndInvertMapToPointValues) {
  server_.set_holding_register(1, 3, 0x8000);  // bit 15 set
  server_.set_input_register(1, 2, 0x0001);    // bit 0 set, inverted: door closed
  auto& d = make(
      tcp_door(port_, 1,
               {point("trailer_present", PointSource::holding_register, 3, milliseconds(0), 15),
                point("door_open", PointSource::input_register, 2, milliseconds(0), 0, true),
                point("leveler_down", PointSource::coil, 5, milliseconds(0), -1, true)}));
  d.start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 3; }));
  EXPECT_TRUE(sink_.signals[0].value);   // trailer_present: bit 15 of 0x8000
  EXPECT_FALSE(sink_.signals[1].value);  // door_open: bit 0 = 1, inverted
  EXPECT_EQ(sink_.signals[2].point, "leveler_down");
  EXPECT_TRUE(sink_.signals[2].value);         // coil 5 = 0, inverted
  server_.set_holding_register(1, 3, 0x7FFF);  // every other bit set, bit 15 clear
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 4; }));
  EXPECT_EQ(sink_.signals[3].point, "trailer_present");
  EXPECT_FALSE(sink_.signals[3].value);
  EXPECT_FALSE(sink_.signals[3].initial);
  run_for(io_, milliseconds(100));
  EXPECT_EQ(sink_.signals.size(), 4u);  // the other bits do not matter
}

TEST_F(ModbusTcp, IllegalDataAddressIsAModbusExceptionOfThatDoorNotAnOutage) {
  // The server has 64 discrete inputs: 100..101 do not exist at unit 1.
  auto bad = tcp_door(port_, 1,
                      {point("trailer_present", PointSource::discrete_input, 100, milliseconds(0)),
                       point("door_open", PointSource::discrete_input, 101, milliseconds(0))});
  auto good = tcp_door(port_, 2, trailer_and_door(milliseconds(0)));
  make(bad, "door03-io", "door-03").start();
  make(good, "door04-io", "door-04").start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 2 && !sink_.errors.empty(); }));
  run_for(io_, milliseconds(400));  // several retries (50..200 ms apart)
  std::vector<DeviceStatus> door3;
  for (const auto& s : sink_.statuses) {
    if (s.location_id == "door-03") door3.push_back(s);
  }
  // It answered: up (reachable), never device_down.
  ASSERT_EQ(door3.size(), 1u);
  EXPECT_TRUE(door3[0].up);
  EXPECT_EQ(door3[0].detail, uri() + " unit 1: answering with Modbus exception 2");
  ASSERT_EQ(sink_.errors.size(), 1u) << "once per distinct answer, not per retry";
  const ReadError& e = sink_.errors[0];
  EXPECT_EQ(e.kind, "modbus_exception");
  EXPECT_EQ(e.driver_id, "door03-io");
  EXPECT_EQ(e.location_id, "door-03");
  EXPECT_EQ(e.message,
            "illegal data address: read discrete inputs 100..101 at unit 1 "
            "(Modbus exception 2 from " +
                uri() + ")");
  using Field = std::pair<std::string, std::string>;
  EXPECT_EQ(e.fields, (std::vector<Field>{{"modbusExceptionCode", "2"},
                                          {"modbusExceptionName", "illegal data address"}}));
  EXPECT_EQ(sink_.count_status(true, uri() + " unit 2"), 1u);
  for (const auto& s : sink_.signals) EXPECT_EQ(s.location_id, "door-04");
  server_.set_discrete_input(2, 0, true);
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 3; }));
  EXPECT_EQ(server_.connections(), 1);
}

TEST_F(ModbusTcp, EveryExceptionResponseIsReportedWithItsCodeAndNameAndTheDoorRecovers) {
  const std::vector<std::pair<int, std::string>> codes = {
      {0x01, "illegal function"},         {0x02, "illegal data address"},
      {0x03, "illegal data value"},       {0x04, "server device failure"},
      {0x0A, "gateway path unavailable"}, {0x0B, "gateway target device failed to respond"}};
  server_.set_discrete_input(1, 0, true);
  server_.set_exception(0, codes[0].first);
  make(tcp_door(port_, 1, trailer_and_door(milliseconds(0)))).start();
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const auto& [code, name] = codes[i];
    server_.set_exception(0, code);
    ASSERT_TRUE(run_until(io_, [&] { return sink_.errors.size() == i + 1; })) << code;
    const ReadError& e = sink_.errors[i];
    EXPECT_EQ(e.kind, "modbus_exception");
    EXPECT_EQ(e.message.rfind(name + ": read discrete inputs 0..1 at unit 1 (Modbus exception " +
                                  std::to_string(code) + " from ",
                              0),
              0u)
        << e.message;
    ASSERT_EQ(e.fields.size(), 2u);
    EXPECT_EQ(e.fields[0].second, std::to_string(code));
    EXPECT_EQ(e.fields[1].second, name);
  }
  EXPECT_EQ(sink_.count_status(false), 0u) << "an answering device is never reported down";
  EXPECT_TRUE(sink_.signals.empty());
  // The exception goes away: the first good poll reports every point as initial.
  server_.set_exception(0, 0);
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 2; }));
  EXPECT_TRUE(sink_.signals[0].initial);
  EXPECT_TRUE(sink_.signals[0].value);
  EXPECT_EQ(sink_.count_status(false), 0u);
  EXPECT_EQ(server_.connections(), 1);
}

TEST_F(ModbusTcp, RefusedSignalTowerWriteIsAnExceptionAtThatDoor) {
  auto options = tcp_door(port_, 1, trailer_and_door(milliseconds(0)));
  options.outputs[1] = ModbusOutput{true, 12, milliseconds(300)};  // red
  auto& d = make(options);
  d.start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 2; }));
  server_.set_exception(MODBUS_FC_WRITE_SINGLE_COIL, 0x04);  // reads still served
  d.feedback(Feedback{"door-03", FeedbackSignal::red});
  ASSERT_TRUE(run_until(io_, [&] { return !sink_.errors.empty(); }));
  const ReadError& e = sink_.errors[0];
  EXPECT_EQ(e.kind, "signal_write_failed");
  EXPECT_EQ(e.location_id, "door-03");
  EXPECT_EQ(e.message,
            "signal tower red (coil 12) not switched on: server device failure: write "
            "coil 12 on at unit 1 (Modbus exception 4 from " +
                uri() + ")");
  using Field = std::pair<std::string, std::string>;
  EXPECT_EQ(e.fields, (std::vector<Field>{{"modbusExceptionCode", "4"},
                                          {"modbusExceptionName", "server device failure"},
                                          {"signal", "red (coil 12)"}}));
  run_for(io_, milliseconds(200));
  EXPECT_EQ(sink_.errors.size(), 1u);  // the refused pulse is not retried
  EXPECT_TRUE(sink_.last_status_is(true)) << "the device is up";
  EXPECT_FALSE(server_.coil(1, 12));
}

TEST_F(ModbusTcp, ServerRestartIsOneOutageThenValuesContinue) {
  auto& d = make(tcp_door(port_, 1, trailer_and_door(milliseconds(0))));
  d.start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 2; }));
  server_.stop();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.last_status_is(false); }));
  run_for(io_, milliseconds(600));  // refused reconnects, 50..200 ms apart
  EXPECT_EQ(sink_.count_status(false), 1u);
  EXPECT_NE(sink_.statuses.back().detail.find(uri() + ": "), std::string::npos)
      << sink_.statuses.back().detail;
  server_.set_discrete_input(1, 0, true);  // the trailer arrived during the outage
  server_.start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 4; }));
  EXPECT_EQ(sink_.count_status(true), 2u);
  EXPECT_EQ(sink_.signals[2].point, "trailer_present");
  EXPECT_TRUE(sink_.signals[2].value);
  EXPECT_TRUE(sink_.signals[2].initial);
  server_.set_discrete_input(1, 1, true);
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 5; }));
  EXPECT_EQ(sink_.signals[4].point, "door_open");
  EXPECT_FALSE(sink_.signals[4].initial);
  EXPECT_EQ(server_.connections(), 2);
}

TEST_F(ModbusTcp, ConnectRefusedIsReportedOnceWithTheReason) {
  server_.stop();
  auto& d = make(tcp_door(port_, 1, trailer_and_door(milliseconds(0))));
  d.start();
  run_for(io_, milliseconds(500));
  ASSERT_EQ(sink_.statuses.size(), 1u);
  EXPECT_FALSE(sink_.statuses[0].up);
  EXPECT_EQ(sink_.statuses[0].detail, uri() + ": connect failed: Connection refused");
}

TEST_F(ModbusTcp, TwoDoorsOnOneEndpointShareOneConnection) {
  server_.set_discrete_input(1, 0, true);
  auto& a = make(tcp_door(port_, 1, trailer_and_door(milliseconds(0))), "door03-io", "door-03");
  auto& b = make(tcp_door(port_, 2, trailer_and_door(milliseconds(0))), "door04-io", "door-04");
  a.start();
  b.start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 4; }));
  EXPECT_EQ(open_bus_count(), 1u);
  EXPECT_EQ(server_.connections(), 1);
  for (const auto& s : sink_.signals) {
    if (s.point != "trailer_present") continue;
    EXPECT_EQ(s.value, s.location_id == "door-03") << s.location_id;
    EXPECT_EQ(s.device_id, uri() + "/unit/" + (s.location_id == "door-03" ? "1" : "2"));
  }
  a.stop();
  server_.set_discrete_input(2, 1, true);
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 5; }));
  EXPECT_EQ(sink_.signals[4].location_id, "door-04");
  EXPECT_EQ(sink_.signals[4].point, "door_open");
  EXPECT_EQ(open_bus_count(), 1u);
  b.stop();
  EXPECT_EQ(open_bus_count(), 0u);
  EXPECT_EQ(server_.connections(), 1);
}

TEST_F(ModbusTcp, FeedbackPulsesTheCoilOnThenOff) {
  auto options = tcp_door(port_, 1, trailer_and_door(milliseconds(0)));
  options.outputs[0] = ModbusOutput{true, 10, milliseconds(400)};  // green
  auto& d = make(options);
  d.start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 2; }));
  d.feedback(Feedback{"door-07", FeedbackSignal::green});  // another door
  d.feedback(Feedback{"door-03", FeedbackSignal::red});    // not configured
  const auto pulsed = Clock::now();
  d.feedback(Feedback{"door-03", FeedbackSignal::green});
  ASSERT_TRUE(dockgate::test::poll_until([&] { return server_.coil(1, 10); }, milliseconds(1000)));
  EXPECT_EQ(server_.coil_writes(), 1);
  // A second request while on extends the pulse to 400 ms after it.
  std::this_thread::sleep_for(milliseconds(200) - (Clock::now() - pulsed));
  d.feedback(Feedback{"door-03", FeedbackSignal::green});
  std::this_thread::sleep_for(milliseconds(480) - (Clock::now() - pulsed));
  EXPECT_TRUE(server_.coil(1, 10)) << "the first pulse alone would have ended at 400 ms";
  ASSERT_TRUE(dockgate::test::poll_until([&] { return !server_.coil(1, 10); }, milliseconds(1000)));
  EXPECT_GE(Clock::now() - pulsed, milliseconds(600));
  EXPECT_EQ(server_.coil_writes(), 2) << "one on, one off";
}

TEST_F(ModbusTcp, HeldRedStaysOnUntilTheNextGreenOrTheAcknowledgeButton) {
  auto points = trailer_and_door(milliseconds(0));
  points.push_back(point("acknowledge", PointSource::discrete_input, 2, milliseconds(0)));
  auto options = tcp_door(port_, 1, points);
  options.outputs[0] = ModbusOutput{true, 10, milliseconds(200)};  // green
  options.outputs[1] = ModbusOutput{true, 12, milliseconds(100)};  // red, held
  options.outputs[1].hold = true;
  auto& d = make(options);
  d.start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 3; }));
  d.feedback(Feedback{"door-03", FeedbackSignal::red});
  ASSERT_TRUE(dockgate::test::poll_until([&] { return server_.coil(1, 12); }, milliseconds(1000)));
  run_for(io_, milliseconds(400));
  EXPECT_TRUE(server_.coil(1, 12)) << "held: not off after its 100 ms pulse";
  d.feedback(Feedback{"door-03", FeedbackSignal::green});  // the next correct read
  ASSERT_TRUE(dockgate::test::poll_until([&] { return !server_.coil(1, 12); }, milliseconds(1000)));
  EXPECT_TRUE(dockgate::test::poll_until([&] { return server_.coil(1, 10); }, milliseconds(1000)));

  d.feedback(Feedback{"door-03", FeedbackSignal::red});
  ASSERT_TRUE(dockgate::test::poll_until([&] { return server_.coil(1, 12); }, milliseconds(1000)));
  server_.set_discrete_input(1, 2, true);  // a supervisor presses the acknowledge button
  ASSERT_TRUE(run_until(io_, [&] {
    return !sink_.signals.empty() && sink_.signals.back().point == "acknowledge" &&
           sink_.signals.back().value;
  }));
  EXPECT_TRUE(dockgate::test::poll_until([&] { return !server_.coil(1, 12); }, milliseconds(1000)));
}

TEST_F(ModbusTcp, FeedbackWhileTheBusIsDownIsDropped) {
  server_.stop();
  auto options = tcp_door(port_, 1, trailer_and_door(milliseconds(0)));
  options.outputs[2] = ModbusOutput{true, 11, milliseconds(300)};  // buzzer
  auto& d = make(options);
  d.start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.last_status_is(false); }));
  d.feedback(Feedback{"door-03", FeedbackSignal::buzzer});
  server_.start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.last_status_is(true); }));
  run_for(io_, milliseconds(200));
  EXPECT_EQ(server_.coil_writes(), 0);
  EXPECT_FALSE(server_.coil(1, 11));
}

TEST_F(ModbusTcp, StopSwitchesOffAPulsedCoil) {
  auto options = tcp_door(port_, 1, trailer_and_door(milliseconds(0)));
  options.outputs[1] = ModbusOutput{true, 12, milliseconds(60'000)};  // red
  auto& d = make(options);
  d.start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 2; }));
  d.feedback(Feedback{"door-03", FeedbackSignal::red});
  ASSERT_TRUE(dockgate::test::poll_until([&] { return server_.coil(1, 12); }, milliseconds(1000)));
  d.stop();
  EXPECT_FALSE(server_.coil(1, 12));
  EXPECT_TRUE(sink_.last_status_is(false, "stopped"));
}

TEST_F(ModbusTcp, StopIsQuickWhileTheServerDoesNotAnswer) {
  auto& d = make(tcp_door(port_, 1, trailer_and_door(milliseconds(0))));
  d.start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 2; }));
  server_.set_mute(true);
  const int seen = server_.requests();
  ASSERT_TRUE(dockgate::test::poll_until([&] { return server_.requests() > seen; },
                                         milliseconds(1000)));  // a request is now unanswered
  const auto started = Clock::now();
  d.stop();
  const auto took = Clock::now() - started;
  EXPECT_LT(took, milliseconds(300 + 200)) << "response_timeout is 300 ms";
  EXPECT_EQ(open_bus_count(), 0u);
}

TEST_F(ModbusTcp, ResponseTimeoutTakesTheDoorDownAndReconnects) {
  auto& d = make(tcp_door(port_, 1, trailer_and_door(milliseconds(0))));
  d.start();
  ASSERT_TRUE(run_until(io_, [&] { return sink_.signals.size() >= 2; }));
  server_.set_mute(true);
  ASSERT_TRUE(run_until(io_, [&] { return sink_.last_status_is(false); }));
  EXPECT_EQ(sink_.statuses.back().detail,
            uri() + ": no response within 300 ms to read discrete inputs 0..1 at unit 1");
  server_.set_mute(false);
  ASSERT_TRUE(run_until(io_, [&] { return sink_.last_status_is(true); }));
  EXPECT_GE(server_.connections(), 2);
}

}  // namespace
}  // namespace dockgate::drivers::test

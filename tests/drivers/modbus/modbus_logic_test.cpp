// SPDX-License-Identifier: Apache-2.0
// The modbus driver's pure parts: request grouping and value extraction, debounce, and the
// texts for libmodbus errors.
#include <gtest/gtest.h>
#include <modbus.h>

#include <cerrno>

#include "drivers/modbus/modbus_errors.hpp"
#include "drivers/modbus/point_debouncer.hpp"
#include "drivers/modbus/read_plan.hpp"
#include "modbus_test_util.hpp"

namespace dockgate::drivers::test {
namespace {

using Clock = std::chrono::steady_clock;
constexpr milliseconds kNone{0};

TEST(ReadPlan, GroupsContiguousAddressesPerTable) {
  ReadPlan plan({point("a", PointSource::discrete_input, 1, kNone),
                 point("b", PointSource::discrete_input, 0, kNone),
                 point("c", PointSource::discrete_input, 3, kNone),  // gap at 2: own request
                 point("d", PointSource::coil, 2, kNone),
                 point("e", PointSource::holding_register, 7, kNone, 0),
                 point("f", PointSource::holding_register, 7, kNone, 9),  // same word
                 point("g", PointSource::input_register, 8, kNone, 1)});
  const auto& g = plan.groups();
  ASSERT_EQ(g.size(), 5u);
  EXPECT_EQ(describe(g[0]), "read coils 2");
  EXPECT_EQ(describe(g[1]), "read discrete inputs 0..1");
  EXPECT_EQ(describe(g[2]), "read discrete inputs 3");
  EXPECT_EQ(describe(g[3]), "read holding registers 7");
  EXPECT_EQ(describe(g[4]), "read input registers 8");

  // data per group: coils {2}, DI {0,1}, DI {3}, HR {7}, IR {8}
  const auto values = plan.extract({{1}, {0, 1}, {1}, {0x0201}, {0x0002}});
  EXPECT_EQ(values, (std::vector<bool>{true, false, true, true, true, true, true}));
}

TEST(ReadPlan, InvertAndRegisterBits) {
  ReadPlan plan({point("hi", PointSource::holding_register, 0, kNone, 15),
                 point("lo_inv", PointSource::holding_register, 0, kNone, 0, true),
                 point("di_inv", PointSource::discrete_input, 5, kNone, -1, true)});
  EXPECT_EQ(plan.extract({{0}, {0x8001}}), (std::vector<bool>{true, false, true}));
  EXPECT_EQ(plan.extract({{1}, {0x7FFE}}), (std::vector<bool>{false, true, false}));
}

TEST(ReadPlan, SplitsRunsLongerThanOneRequest) {
  std::vector<ModbusPoint> points;
  for (std::uint16_t a = 0; a < 130; ++a) {
    points.push_back(point("r" + std::to_string(a), PointSource::input_register, a, kNone, 0));
  }
  points.push_back(point("top", PointSource::coil, 65535, kNone));
  ReadPlan plan(points);
  ASSERT_EQ(plan.groups().size(), 3u);
  EXPECT_EQ(describe(plan.groups()[0]), "read coils 65535");
  EXPECT_EQ(describe(plan.groups()[1]), "read input registers 0..124");
  EXPECT_EQ(describe(plan.groups()[2]), "read input registers 125..129");
}

TEST(PointDebouncer, ReportsAHeldValueWithItsFirstSeenTime) {
  PointDebouncer d(milliseconds(500));
  const auto t0 = Clock::now();
  EXPECT_FALSE(d.sample(true, t0, 1000).has_value()) << "nothing before the initial state";
  d.reset(false);
  EXPECT_FALSE(d.sample(false, t0, 1000).has_value());
  EXPECT_FALSE(d.sample(true, t0 + milliseconds(200), 1200).has_value());
  EXPECT_FALSE(d.sample(true, t0 + milliseconds(699), 1699).has_value());
  auto c = d.sample(true, t0 + milliseconds(700), 1700);
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->value);
  EXPECT_EQ(c->first_seen_ms, 1200);
  EXPECT_TRUE(d.reported());
  EXPECT_FALSE(d.sample(true, t0 + milliseconds(900), 1900).has_value());
}

TEST(PointDebouncer, ChatterRestartsTheHold) {
  PointDebouncer d(milliseconds(300));
  const auto t0 = Clock::now();
  d.reset(false);
  EXPECT_FALSE(d.sample(true, t0, 0).has_value());
  EXPECT_FALSE(d.sample(false, t0 + milliseconds(200), 200).has_value());  // back: dropped
  EXPECT_FALSE(d.sample(true, t0 + milliseconds(250), 250).has_value());   // new candidate
  EXPECT_FALSE(d.sample(true, t0 + milliseconds(500), 500).has_value());   // held 250 ms only
  auto c = d.sample(true, t0 + milliseconds(550), 550);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->first_seen_ms, 250);
}

TEST(PointDebouncer, ZeroDebounceReportsTheFirstSample) {
  PointDebouncer d(kNone);
  d.reset(true);
  auto c = d.sample(false, Clock::now(), 42);
  ASSERT_TRUE(c.has_value());
  EXPECT_FALSE(c->value);
  EXPECT_EQ(c->first_seen_ms, 42);
}

TEST(ModbusErrors, ExceptionResponsesHaveTheirProtocolNames) {
  EXPECT_EQ(errno_text(EMBXILADD), "illegal data address");
  EXPECT_EQ(errno_text(EMBXILFUN), "illegal function");
  EXPECT_EQ(errno_text(EMBXGTAR), "gateway target device failed to respond");
  EXPECT_EQ(exception_code(EMBXILADD), 2);
  EXPECT_EQ(exception_code(ECONNRESET), 0);
  EXPECT_EQ(classify_errno(EMBXSBUSY), FailureKind::exception);
}

TEST(ModbusErrors, LibmodbusAndSystemErrors) {
  EXPECT_EQ(errno_text(EMBBADCRC), "invalid CRC");
  EXPECT_EQ(classify_errno(EMBBADCRC), FailureKind::bad_response);
  EXPECT_EQ(classify_errno(ETIMEDOUT), FailureKind::no_response);
  EXPECT_EQ(errno_text(ECONNRESET), "Connection reset by peer");
  EXPECT_EQ(classify_errno(ECONNRESET), FailureKind::link);
  EXPECT_EQ(classify_errno(EPIPE), FailureKind::link);
  EXPECT_EQ(classify_errno(EBADF), FailureKind::link);
}

}  // namespace
}  // namespace dockgate::drivers::test

// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the pure parts of the Modbus driver that interpret what a device sends.
// Framing, CRC and the PDU itself are decoded inside libmodbus (not fuzzed here); dockgate
// sees register/bit values and errno codes. Input: a point list (source, address, bit,
// invert), then the register/bit words the device answered, an errno, and debounce samples.
// Covered: ReadPlan (grouping addresses into requests within the per-request limits, and
// extract(): register/bit values -> point states, also from short answers), classify_errno /
// errno_text / exception_code (exception responses and libmodbus error codes), PointDebouncer.
// Invariants: never crashes; groups stay within one table, max_read_count and 0..65535 and
// cover every point; extract() returns one value per point matching the addressed word/bit;
// exception_code() is 1..11 exactly for exception errnos; a debounced change is never
// reported before `debounce` has passed.
#include <fuzzer/FuzzedDataProvider.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "drivers/modbus/modbus_errors.hpp"
#include "drivers/modbus/point_debouncer.hpp"
#include "drivers/modbus/read_plan.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using dockgate::drivers::is_register;
using dockgate::drivers::ModbusPoint;
using dockgate::drivers::PointSource;

/// The value the device sent for `p`, from the answers (before invert).
bool wire_value(const ModbusPoint& p, const std::vector<dockgate::drivers::ReadGroup>& groups,
                const std::vector<std::vector<std::uint16_t>>& answers) {
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto& grp = groups[g];
    if (grp.source != p.source || p.address < grp.start ||
        p.address >= static_cast<std::uint32_t>(grp.start) + grp.count) {
      continue;
    }
    const std::uint16_t word = answers[g][p.address - grp.start];
    return is_register(p.source) ? ((word >> p.bit) & 1U) != 0 : word != 0;
  }
  FUZZ_CHECK(false, "every point is in a group");
  return false;
}

void fuzz_plan(FuzzedDataProvider& in) {
  namespace drv = dockgate::drivers;
  std::vector<ModbusPoint> points(in.ConsumeIntegralInRange<std::size_t>(0, 24));
  for (auto& p : points) {
    p.source = in.PickValueInArray({PointSource::coil, PointSource::discrete_input,
                                    PointSource::holding_register, PointSource::input_register});
    // Mostly near addresses (so groups form), sometimes anywhere up to 65535.
    p.address = in.ConsumeBool() ? in.ConsumeIntegralInRange<std::uint16_t>(0, 40)
                                 : in.ConsumeIntegral<std::uint16_t>();
    p.bit = is_register(p.source) ? in.ConsumeIntegralInRange<int>(0, 15) : -1;
    p.invert = in.ConsumeBool();
  }
  const drv::ReadPlan plan(points);
  const auto& groups = plan.groups();
  std::vector<std::vector<std::uint16_t>> answers;
  for (const auto& g : groups) {
    FUZZ_CHECK(g.count >= 1 && g.count <= drv::max_read_count(g.source), "request size limit");
    FUZZ_CHECK(static_cast<std::uint32_t>(g.start) + g.count <= 65536U, "addresses fit 16 bits");
    FUZZ_CHECK(!drv::describe(g).empty(), "describe() names the request");
    std::vector<std::uint16_t> words(g.count);
    for (auto& w : words) {
      w = is_register(g.source) ? in.ConsumeIntegral<std::uint16_t>()
                                : static_cast<std::uint16_t>(in.ConsumeBool() ? 1 : 0);
    }
    answers.push_back(std::move(words));
  }
  if (in.ConsumeIntegralInRange<int>(0, 7) == 0 && !answers.empty()) {
    // A short or missing answer (a device that sent fewer words): still one value per point.
    answers.back().resize(in.ConsumeIntegralInRange<std::size_t>(0, answers.back().size()));
    if (in.ConsumeBool()) answers.pop_back();
    FUZZ_CHECK(plan.extract(answers).size() == points.size(), "one value per point (short)");
    return;
  }
  const std::vector<bool> values = plan.extract(answers);
  FUZZ_CHECK(values.size() == points.size(), "one value per point");
  for (std::size_t i = 0; i < points.size(); ++i) {
    FUZZ_CHECK(values[i] == (wire_value(points[i], groups, answers) != points[i].invert),
               "value is the addressed word/bit after invert");
  }
}

void fuzz_errno(FuzzedDataProvider& in) {
  namespace drv = dockgate::drivers;
  const int err = in.ConsumeIntegral<int>();
  (void)drv::classify_errno(err);
  FUZZ_CHECK(!drv::errno_text(err).empty(), "every errno has a text");
  const int code = drv::exception_code(err);
  FUZZ_CHECK(code >= 0 && code <= 11, "exception code range");
  if (code != 0) {
    FUZZ_CHECK(drv::classify_errno(err) == drv::FailureKind::exception, "EMBX* is an exception");
  }
}

void fuzz_debounce(FuzzedDataProvider& in) {
  using Clock = dockgate::drivers::PointDebouncer::Clock;
  const auto debounce = std::chrono::milliseconds(in.ConsumeIntegralInRange<int>(0, 5000));
  dockgate::drivers::PointDebouncer d(debounce);
  bool reported = in.ConsumeBool();
  d.reset(reported);
  Clock::time_point at{};
  std::int64_t utc = 1'700'000'000'000;
  Clock::time_point candidate_since{};
  bool candidate = false;
  while (in.remaining_bytes() > 0) {
    const auto step = in.ConsumeIntegralInRange<int>(0, 2000);
    at += std::chrono::milliseconds(step);
    utc += step;
    const bool value = in.ConsumeBool();
    if (value != reported && !candidate) {
      candidate = true;
      candidate_since = at;
    } else if (value == reported) {
      candidate = false;
    }
    const auto change = d.sample(value, at, utc);
    if (change) {
      FUZZ_CHECK(change->value != reported, "a change is a new value");
      FUZZ_CHECK(at - candidate_since >= debounce, "held for at least debounce");
      reported = change->value;
      candidate = false;
    }
    FUZZ_CHECK(d.reported() == reported, "reported state tracks changes");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  switch (in.ConsumeIntegralInRange<int>(0, 2)) {
    case 0:
      fuzz_plan(in);
      break;
    case 1:
      fuzz_errno(in);
      break;
    default:
      fuzz_debounce(in);
      break;
  }
  return 0;
}

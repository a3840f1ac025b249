// SPDX-License-Identifier: Apache-2.0
// A fixed-bucket histogram with Prometheus semantics, small enough to copy into a state
// snapshot (no allocation): the publisher fills it, the metrics endpoint renders it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace dockgate::uplink {

/// Counts of observations per bucket. `bounds` are the upper bounds ("le", inclusive) in
/// ascending order; one extra bucket takes everything above the last bound (+Inf).
/// Prometheus histogram semantics (https://prometheus.io/docs/concepts/metric_types/):
/// the renderer turns the per-bucket counts into cumulative `_bucket` samples.
template <std::size_t N>
struct FixedHistogram {
  std::array<double, N> bounds{};
  std::array<std::uint64_t, N + 1> counts{};  ///< per bucket, not cumulative; [N] = +Inf
  double sum = 0.0;                           ///< sum of every observed value
  std::uint64_t count = 0;                    ///< number of observations

  /// Adds one observation: O(N), no allocation. NaN is counted in the +Inf bucket.
  void observe(double value) {
    std::size_t i = 0;
    while (i < N && !(value <= bounds[i])) ++i;
    ++counts[i];
    sum += value;
    ++count;
  }
};

/// Seconds from handing a QoS 1 message to the MQTT client until its PUBACK: 1 ms .. 10 s.
using LatencyHistogram = FixedHistogram<13>;
inline constexpr std::array<double, 13> kLatencyBoundsSeconds = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};

/// Records per published message (1 when live, up to uplink.mqtt.max_events_per_message from
/// a backlog).
using BatchHistogram = FixedHistogram<10>;
inline constexpr std::array<double, 10> kBatchBoundsRecords = {1,  2,   5,   10,  20,
                                                               50, 100, 200, 500, 1000};

}  // namespace dockgate::uplink

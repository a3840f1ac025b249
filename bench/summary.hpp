// SPDX-License-Identifier: Apache-2.0
// Output helpers shared by the benchmarks: a machine-readable summary line, percentiles,
// and the context every figure needs (load average, core count).
#pragma once

#include <nlohmann/json.hpp>

#include <sys/types.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace dockgate::bench {

/// Nearest-rank percentile `p` (0..100) of `sorted` (ascending); 0 when empty.
double percentile(const std::vector<double>& sorted, double p);

/// {"bench": name, "date": UTC ISO 8601, "nproc": n, "loadavg_start": "..."}: the header
/// of a summary; the benchmark adds its figures.
nlohmann::ordered_json summary_header(const std::string& name);

/// Prints "BENCH_SUMMARY <json on one line>" to stdout (run-all collects these lines).
void print_summary(nlohmann::ordered_json summary);

/// Rounds to `digits` decimals, for readable JSON.
double round_to(double value, int digits);

/// CPU used by named processes over one benchmark phase: shows which process saturates a
/// core (the bottleneck) while the machine is shared.
class CpuMeter {
 public:
  /// `processes`: name -> pid (e.g. {"agent", pid}, {"broker", pid}, {"bench", getpid()}).
  /// Takes the first reading now.
  explicit CpuMeter(std::vector<std::pair<std::string, pid_t>> processes);
  /// {"wall_s": w, "<name>_cpu_s": c, "<name>_cores": c / w, ..., "machine_busy_cores": all
  /// cores busy / w, "others_cores": what processes outside the list used} since construction.
  [[nodiscard]] nlohmann::ordered_json read() const;

 private:
  std::vector<std::pair<std::string, pid_t>> processes_;
  std::vector<double> start_cpu_;
  double start_machine_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace dockgate::bench

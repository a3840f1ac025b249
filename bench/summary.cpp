// SPDX-License-Identifier: Apache-2.0
#include "bench/summary.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <iostream>

#include "bench/proc_stats.hpp"

namespace dockgate::bench {

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const auto index = static_cast<std::size_t>(std::max(rank, 1.0)) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

nlohmann::ordered_json summary_header(const std::string& name) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
  nlohmann::ordered_json j;
  j["bench"] = name;
  j["date"] = date;
  j["nproc"] = ::sysconf(_SC_NPROCESSORS_ONLN);
  j["loadavg_start"] = load_average();
  return j;
}

void print_summary(nlohmann::ordered_json summary) {
  summary["loadavg_end"] = load_average();
  std::cout << "BENCH_SUMMARY " << summary.dump() << std::endl;
}

double round_to(double value, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(value * scale) / scale;
}

CpuMeter::CpuMeter(std::vector<std::pair<std::string, pid_t>> processes)
    : processes_(std::move(processes)),
      start_machine_(machine_busy_seconds()),
      start_(std::chrono::steady_clock::now()) {
  for (const auto& p : processes_) start_cpu_.push_back(cpu_seconds(p.second));
}

nlohmann::ordered_json CpuMeter::read() const {
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  nlohmann::ordered_json j;
  j["wall_s"] = round_to(wall, 3);
  double ours = 0;
  for (std::size_t i = 0; i < processes_.size(); ++i) {
    const double used = cpu_seconds(processes_[i].second) - start_cpu_[i];
    ours += used;
    j[processes_[i].first + "_cpu_s"] = round_to(used, 2);
    j[processes_[i].first + "_cores"] = round_to(wall > 0 ? used / wall : 0, 2);
  }
  const double machine = machine_busy_seconds() - start_machine_;
  j["machine_busy_cores"] = round_to(wall > 0 ? machine / wall : 0, 2);
  j["others_cores"] = round_to(wall > 0 ? std::max(0.0, machine - ours) / wall : 0, 2);
  return j;
}

}  // namespace dockgate::bench

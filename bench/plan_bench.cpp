// SPDX-License-Identifier: Apache-2.0
// Dock plans (agent/plans) at the sizing of issue 11: 500 open plans x 1,000 SSCCs.
//   lookup: the plans are received as JSON documents (parse_plan + index, as from MQTT), then
//     reads go through the real ScanPipeline -> PlanChecks -> DockSessions chain; each read's
//     wall time is measured, with and without the plans (the difference is the plan check).
//     The mix: 80 % expected pallets, 10 % misrouted (another door's plan), 10 % in no plan.
//     Memory: this process's RSS before and after receiving the plans (malloc_trim first).
//   red: the real `dockgate` binary with a pymodbus door simulator at door-07 and a TCP
//     scanner; a plan for door-08 and N scans of its pallet at door-07: the time from writing
//     the scan to the simulator reporting the red coil on (coil polled every ~1 ms over the
//     simulator's command pipe, which adds up to ~1-2 ms). Red pulses 100 ms; each sample
//     waits for red to go off first.
// Prints BENCH_SUMMARY lines (bench/summary.hpp).
#include <malloc.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/dock/dock_sessions.hpp"
#include "agent/plans/plan_checks.hpp"
#include "bench/proc_stats.hpp"
#include "bench/summary.hpp"
#include "tests/drivers/modbus/door_sim_process.hpp"
#include "tests/integration/agent_config_yaml.hpp"
#include "tests/integration/agent_harness.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/net.hpp"
#include "tests/support/subprocess.hpp"

namespace dockgate::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;
using namespace std::chrono_literals;

std::string sscc(unsigned n) {
  char body[18];
  std::snprintf(body, sizeof body, "34012345%09u", n);
  int sum = 0;
  for (int i = 16, w = 3; i >= 0; --i, w = 4 - w) sum += (body[i] - '0') * w;
  return std::string(body) + static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::vector<DoorInfo> doors(unsigned n) {
  std::vector<DoorInfo> out;
  for (unsigned d = 0; d < n; ++d) {
    out.push_back(
        {"door-" + std::to_string(d), epcis::Direction::outbound, "D" + std::to_string(d)});
  }
  return out;
}

struct Chain {
  ScanPipeline pipeline;
  DockSessions dock;
  plans::PlanChecks checks;
  explicit Chain(const PipelineSettings& p)
      : pipeline(p), dock(dock_settings_of(p)), checks(check_settings_of(p), &dock) {
    pipeline.set_decorator(&checks);
    dock.set_visit_observer(&checks);
  }
  static DockSettings dock_settings_of(const PipelineSettings& p) {
    DockSettings s;
    s.site_gln = p.site_gln;
    s.doors = p.doors;
    return s;
  }
  static plans::PlanCheckSettings check_settings_of(const PipelineSettings& p) {
    plans::PlanCheckSettings s;
    s.site_gln = p.site_gln;
    s.doors = p.doors;
    return s;
  }
};

// Per-read wall times (ns) of `reads` reads through `chain`; sorted.
std::vector<double> time_reads(Chain& chain, const std::vector<ScanRead>& reads) {
  std::vector<double> ns;
  ns.reserve(reads.size());
  std::uint64_t sink = 0;
  for (const auto& r : reads) {
    const auto t0 = Clock::now();
    auto out = chain.pipeline.on_read(r);
    const auto t1 = Clock::now();
    sink += out ? out->open_json.size() : 0;
    ns.push_back(
        static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
  }
  if (sink == 0) std::cerr << "no output\n";
  std::sort(ns.begin(), ns.end());
  return ns;
}

int lookup(unsigned plans_n, unsigned units, unsigned reads_n) {
  PipelineSettings p;
  p.site_id = "bench";
  p.site_gln = "4012345000016";
  p.gateway_id = "gw";
  p.doors = doors(plans_n / 10 + 1);  // ten plans per door
  p.dedup_window = 0ms;
  p.id_seed = 1;

  // Documents are made one at a time inside the load loop (only receive() is timed), so the
  // RSS difference is what the held plans cost, not the JSON texts.
  auto document = [&](unsigned i) {
    Json ssccs = Json::array();
    for (unsigned u = 0; u < units; ++u) ssccs.push_back(sscc(i * units + u));
    return Json{{"planId", "P" + std::to_string(i)},
                {"revision", 1},
                {"direction", "outbound"},
                {"doors", {"door-" + std::to_string(i / 10)}},
                {"units", {{"ssccs", ssccs}}}}
        .dump();
  };
  std::mt19937 rng(7);  // 32-bit results
  std::vector<ScanRead> reads;
  const std::int64_t t0 = 1'796'481'000'000;
  for (unsigned i = 0; i < reads_n; ++i) {
    const auto plan = static_cast<unsigned>(rng() % plans_n);
    const auto pick = static_cast<unsigned>(rng() % 10);
    std::string door = "door-" + std::to_string(plan / 10);
    unsigned unit = plan * units + static_cast<unsigned>(rng() % units);
    if (pick == 8) door = "door-" + std::to_string((plan / 10 + 1) % (plans_n / 10));  // misrouted
    if (pick == 9) unit = plans_n * units + i;                                         // no plan
    reads.push_back({"scanner", door, t0 + i, "]C1", "00" + sscc(unit)});
  }

  Chain without(p);
  const auto base = time_reads(without, reads);

  ::malloc_trim(0);
  const auto before = memory_of(::getpid());
  Chain with(p);
  double load_s = 0;
  for (unsigned i = 0; i < plans_n; ++i) {
    const std::string text = document(i);
    const auto load0 = Clock::now();
    auto in = with.checks.receive(text, "P" + std::to_string(i), "mqtt", t0);
    load_s += std::chrono::duration<double>(Clock::now() - load0).count();
    if (in.outcome != plans::PlanIntake::Outcome::accepted) {
      std::cerr << "plan P" << i << " not accepted: " << in.error << "\n";
      return 1;
    }
  }
  ::malloc_trim(0);
  const auto after = memory_of(::getpid());
  const auto timed = time_reads(with, reads);

  auto summary = summary_header("plan_lookup");
  summary["plans"] = plans_n;
  summary["units_per_plan"] = units;
  summary["reads"] = reads_n;
  summary["load_s"] = round_to(load_s, 3);
  summary["plans_rss_mib"] = round_to(
      static_cast<double>(after.rss_kib) / 1024.0 - static_cast<double>(before.rss_kib) / 1024.0,
      1);
  summary["read_us_p50_without_plans"] = round_to(percentile(base, 50) / 1000.0, 2);
  summary["read_us_p99_without_plans"] = round_to(percentile(base, 99) / 1000.0, 2);
  summary["read_us_p50_with_plans"] = round_to(percentile(timed, 50) / 1000.0, 2);
  summary["read_us_p99_with_plans"] = round_to(percentile(timed, 99) / 1000.0, 2);
  summary["read_us_max_with_plans"] = round_to(timed.back() / 1000.0, 2);
  print_summary(summary);
  return 0;
}

int red(unsigned samples) {
  test::TempDir dir("dockgate-plan-bench");
  test::MosquittoBroker broker;
  const std::uint16_t sim_port = test::free_tcp_port();
  drivers::test::DoorSimProcess sim(sim_port, {});
  test::AgentYaml y;
  y.broker_uri = broker.uri();
  y.db_path = dir.file("outbox.db");
  y.tcp_server_port = test::free_tcp_port();
  y.modbus_port = sim_port;
  y.extra_locations = "  - id: door-08\n    direction: outbound\n    gln_extension: DOOR08\n";
  y.extra = "log:\n  level: info\n";
  std::string yaml = test::agent_yaml(y);
  const std::string slow = "red: {coil: 1, pulse: 3s}";
  yaml.replace(yaml.find(slow), slow.size(), "red: {coil: 1, pulse: 100ms}");
  const std::string debug = "log:\n  level: debug\n";
  yaml.erase(yaml.find(debug), debug.size());
  const std::string plans_dir = dir.file("plans");
  std::filesystem::create_directories(plans_dir);
  yaml += "plans:\n  dir: " + plans_dir + "\n";
  {
    std::ofstream f(plans_dir + "/P8.json");
    f << Json{{"planId", "P8"},
              {"revision", 1},
              {"direction", "outbound"},
              {"doors", {"door-08"}},
              {"units", {{"ssccs", {sscc(1)}}}}}
             .dump();
  }
  test::AgentProcess agent(dir, yaml);
  agent.start();
  if (!agent.wait_log("device door07-io up", 20s) || !agent.wait_log("plan P8", 10s) ||
      !test::wait_for_port(y.tcp_server_port, 10s)) {
    std::cerr << "agent did not start:\n" << agent.log();
    return 1;
  }
  test::TcpScanner scanner(y.tcp_server_port);
  auto coil = [&] { return sim.command("get coil 1"); };
  std::vector<double> ms;
  for (unsigned i = 0; i < samples; ++i) {
    const auto off_deadline = Clock::now() + 5s;
    while (coil() != "0" && Clock::now() < off_deadline) std::this_thread::sleep_for(5ms);
    const auto t0 = Clock::now();
    scanner.send("]C100" + sscc(1) + "\r\n");
    bool on = false;
    while (Clock::now() - t0 < 5s) {
      if (coil() == "1") {
        on = true;
        break;
      }
    }
    if (!on) {
      std::cerr << "sample " << i << ": no red within 5 s\n" << agent.log();
      return 1;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  auto summary = summary_header("plan_misroute_red");
  summary["samples"] = samples;
  summary["scan_to_red_ms_p50"] = round_to(percentile(ms, 50), 1);
  summary["scan_to_red_ms_p99"] = round_to(percentile(ms, 99), 1);
  summary["scan_to_red_ms_max"] = round_to(ms.back(), 1);
  print_summary(summary);
  agent.terminate();
  return 0;
}

}  // namespace
}  // namespace dockgate::bench

int main(int argc, char** argv) {
  CLI::App app{"dock plans: lookup cost and memory at 500 x 1,000; scan -> red coil"};
  std::string mode = "all";
  unsigned plans = 500;
  unsigned units = 1000;
  unsigned reads = 200'000;
  unsigned samples = 200;
  app.add_option("--mode", mode, "lookup | red | all");
  app.add_option("--plans", plans, "open plans");
  app.add_option("--units", units, "SSCCs per plan");
  app.add_option("--reads", reads, "reads timed");
  app.add_option("--samples", samples, "misroutes timed (red)");
  CLI11_PARSE(app, argc, argv);
  int rc = 0;
  if (mode == "lookup" || mode == "all") rc |= dockgate::bench::lookup(plans, units, reads);
  if (mode == "red" || mode == "all") rc |= dockgate::bench::red(samples);
  return rc;
}

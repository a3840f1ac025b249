// SPDX-License-Identifier: Apache-2.0
// Modbus dock sensors: the real `dockgate` binary polls N dock doors on one Modbus TCP server
// (a TCP-to-RTU gateway on 127.0.0.1 with one door I/O module per unit id 1..N, trailer
// present = discrete input 0, door open = discrete input 1; one request per door-poll), every
// door at --poll-interval, debounce --debounce, publishing to a mosquitto on a free port.
//   1. steady polling, nothing changes: agent CPU over --window s after --warmup s (all
//      threads' time on a CPU from schedstat, ns; utime + stime ticks beside it), RSS / peak RSS,
//      door-polls counted at the server; CPU per door-poll = CPU seconds / door-polls. For each N
//      in --doors.
//   2. latency at the largest N: --changes toggles of trailer_present at a random door every
//      --change-interval ms (+-50 ms jitter, so changes fall anywhere in the poll cycle),
//      stamped when the server's table changes; "committed" when the outbox's meta.last_seq
//      (read-only SQLite reader, polled every 1 ms) passes the value before the change. Also
//      when the server was next read at that unit (the poll wait) and when the event reached
//      an MQTT subscriber. Events are checked (gatewaySeq, milestone, door).
//   3. --node-red: the same for Node-RED 4 + node-red-contrib-modbus (bench/node-red/setup),
//      one after the other (never both at once, so neither takes the other's core); its
//      latency ends at the MQTT subscriber (Node-RED has no durable commit).
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "bench/modbus_agent_yaml.hpp"
#include "bench/modbus_door_server.hpp"
#include "bench/modbus_latency.hpp"
#include "bench/modbus_message_log.hpp"
#include "bench/modbus_node_red.hpp"
#include "bench/modbus_outbox_watch.hpp"
#include "bench/modbus_task_cpu.hpp"
#include "bench/proc_stats.hpp"
#include "bench/summary.hpp"
#include "bench/thin_subscriber.hpp"
#include "tests/integration/agent_harness.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/net.hpp"

namespace dockgate::bench {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using Json = nlohmann::ordered_json;

struct Options {
  std::vector<int> doors{1, 2, 4, 8, 16, 32};
  int poll_ms = 100;
  int debounce_ms = 0;
  double warmup_s = 5;
  double window_s = 20;
  int changes = 200;
  int change_interval_ms = 300;
  unsigned seed = 42;
  bool node_red = false;
  std::vector<int> node_red_doors{1, 32};
  std::string node_red_dir;
  std::string flow_template;
  bool skip_agent = false;
  double quiet_busy = -1;
  double quiet_timeout_s = 120;
  bool keep = false;
};

/// Waits until every unit 1..doors was read at least once more than `base` shows.
void wait_polling(const ModbusDoorServer& server, int doors, milliseconds timeout,
                  const std::function<std::string()>& context) {
  std::vector<std::uint64_t> base;
  for (int u = 1; u <= doors; ++u) base.push_back(server.reads(u));
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int polled = 0;
    for (int u = 1; u <= doors; ++u)
      polled += server.reads(u) > base[static_cast<std::size_t>(u - 1)];
    if (polled == doors) return;
    if (Clock::now() > deadline) {
      throw std::runtime_error("only " + std::to_string(polled) + " of " + std::to_string(doors) +
                               " doors polled after " + std::to_string(timeout.count()) + " ms:\n" +
                               context());
    }
    std::this_thread::sleep_for(milliseconds(50));
  }
}

/// Cores busy machine-wide over the next 2 s (/proc/stat).
double busy_cores_now() {
  const double a = machine_busy_seconds();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  return (machine_busy_seconds() - a) / 2;
}

/// With --quiet-busy: waits (up to --quiet-timeout) until at most that many cores were busy
/// over 2 s, so other work on a shared machine disturbs the window less. Returns the last
/// reading (-1 without --quiet-busy).
double wait_quiet(const Options& o) {
  if (o.quiet_busy < 0) return -1;
  const auto deadline = Clock::now() + std::chrono::duration<double>(o.quiet_timeout_s);
  double busy = busy_cores_now();
  while (busy > o.quiet_busy && Clock::now() < deadline) busy = busy_cores_now();
  return busy;
}

/// Steady polling with no change: CPU, memory and door-polls over the window.
Json steady_phase(const ModbusDoorServer& server, int doors, pid_t pid, pid_t broker_pid,
                  const Options& o) {
  std::this_thread::sleep_for(std::chrono::duration<double>(o.warmup_s));
  const double busy_before = wait_quiet(o);
  const std::uint64_t reads0 = server.reads_total();
  const double cpu0 = task_cpu_seconds(pid);
  const double ticks0 = cpu_seconds(pid);
  const CpuMeter meter({{"poller", pid}, {"broker", broker_pid}, {"bench", ::getpid()}});
  const auto t0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(o.window_s));
  const double cpu1 = task_cpu_seconds(pid);
  const double ticks1 = cpu_seconds(pid);
  const auto t1 = Clock::now();
  const std::uint64_t polls = server.reads_total() - reads0;
  const MemorySample mem = memory_of(pid);
  const double wall = std::chrono::duration<double>(t1 - t0).count();
  const double cpu = cpu1 - cpu0;
  Json j;
  j["doors"] = doors;
  j["window_s"] = round_to(wall, 3);
  j["door_polls"] = polls;
  j["door_polls_per_s"] = round_to(static_cast<double>(polls) / wall, 1);
  j["polls_per_door_per_s"] = round_to(static_cast<double>(polls) / wall / doors, 2);
  if (cpu0 < 0 || cpu1 < 0) throw std::runtime_error("no /proc/<pid>/task/*/schedstat");
  j["cpu_s"] = round_to(cpu, 4);
  j["cpu_s_from_stat_ticks"] = round_to(ticks1 - ticks0, 2);
  j["cpu_pct"] = round_to(100 * cpu / wall, 3);
  j["cpu_us_per_door_poll"] = round_to(polls == 0 ? 0 : 1e6 * cpu / static_cast<double>(polls), 1);
  j["rss_mib"] = round_to(static_cast<double>(mem.rss_kib) / 1024, 1);
  j["peak_rss_mib"] = round_to(static_cast<double>(mem.hwm_kib) / 1024, 1);
  j["cpu"] = meter.read();
  if (busy_before >= 0) j["busy_cores_before"] = round_to(busy_before, 2);
  return j;
}

/// Least-squares line through (door-polls/s, CPU %) of the rows: the fixed part (CPU % with
/// no door) and the marginal cost of one more door-poll (us), which the per-row ratio mixes.
Json cpu_fit(const Json& rows) {
  double n = 0;
  double sx = 0;
  double sy = 0;
  double sxx = 0;
  double sxy = 0;
  for (const auto& r : rows) {
    const double x = r["door_polls_per_s"].get<double>();
    const double y = r["cpu_pct"].get<double>();
    n += 1;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  Json j = Json::object();
  const double den = n * sxx - sx * sx;
  if (n < 2 || den == 0) return j;
  const double slope = (n * sxy - sx * sy) / den;  // % per (door-poll/s)
  j["fixed_cpu_pct"] = round_to((sy - slope * sx) / n, 3);
  j["marginal_us_per_door_poll"] = round_to(slope / 100 * 1e6, 1);
  return j;
}

LatencyOptions latency_options(const Options& o) {
  return {o.changes, o.change_interval_ms, o.seed};
}

void print_row(const char* who, const Json& r) {
  std::cerr << who << " doors " << r["doors"] << ": cpu " << r["cpu_pct"] << " %, "
            << r["cpu_us_per_door_poll"] << " us/door-poll, " << r["polls_per_door_per_s"]
            << " polls/door/s, RSS " << r["rss_mib"] << " MiB (peak " << r["peak_rss_mib"]
            << "), others " << r["cpu"]["others_cores"] << " cores\n";
}

Json run_agent(ModbusDoorServer& server, std::uint16_t modbus_port,
               const test::MosquittoBroker& broker, pid_t broker_pid, int doors, bool latency,
               MessageLog& log, const Options& o) {
  test::TempDir dir("dockgate-bench-modbus");
  if (o.keep) dir.keep();
  ModbusAgentYaml y;
  y.doors = doors;
  y.modbus_port = modbus_port;
  y.broker_port = broker.port();
  y.db_path = dir.file("outbox.db");
  y.poll_interval = std::to_string(o.poll_ms) + "ms";
  y.debounce = std::to_string(o.debounce_ms) + "ms";
  const std::string config = dir.file("dockgate.yaml");
  const std::string agent_log = dir.file("agent.log");
  test::write_file(config, modbus_agent_yaml(y));
  const std::string binary = test::dockgate_binary();
  if (!std::filesystem::exists(binary)) {
    throw std::runtime_error(binary + " not found: build the `dockgate` target first");
  }
  const std::size_t log_from = log.size();
  test::Subprocess agent(
      test::SpawnOptions{{binary, "run", "--config", config}, {}, "", agent_log, agent_log});
  wait_polling(server, doors, milliseconds(30'000), [&] { return test::read_file(agent_log); });
  Json r = steady_phase(server, doors, agent.pid(), broker_pid, o);
  print_row("dockgate", r);
  if (latency) {
    std::cerr << "dockgate latency: " << o.changes << " changes at " << doors << " doors\n";
    r["latency"] = agent_latency_phase(server, y.db_path, doors, log, log_from, agent.pid(),
                                       latency_options(o));
    std::cerr << "  " << r["latency"].dump() << "\n";
  }
  r["stop"] = agent.terminate(std::chrono::seconds(10)).describe();
  return r;
}

Json run_node_red(ModbusDoorServer& server, std::uint16_t modbus_port,
                  const test::MosquittoBroker& broker, pid_t broker_pid, int doors, bool latency,
                  MessageLog& log, const Options& o) {
  test::TempDir dir("dockgate-bench-node-red");
  if (o.keep) dir.keep();
  NodeRedFlow f;
  f.doors = doors;
  f.modbus_port = modbus_port;
  f.broker_port = broker.port();
  f.poll_ms = o.poll_ms;
  const std::string tpl = test::read_file(o.flow_template);
  if (tpl.empty()) throw std::runtime_error("cannot read the flow template " + o.flow_template);
  NodeRedProcess nr(dir, o.node_red_dir, node_red_flow(tpl, f));
  nr.start();
  wait_polling(server, doors, milliseconds(60'000), [&] { return nr.log(); });
  Json r = steady_phase(server, doors, nr.pid(), broker_pid, o);
  r["versions"] = nr.versions();
  print_row("node-red", r);
  if (latency) {
    std::cerr << "node-red latency: " << o.changes << " changes at " << doors << " doors\n";
    r["latency"] = node_red_latency_phase(server, doors, log, nr.pid(), latency_options(o));
    std::cerr << "  " << r["latency"].dump() << "\n";
  }
  r["stop"] = nr.stop();
  return r;
}

int run(const Options& o) {
  Json summary = summary_header("modbus");
  summary["config"] = {{"quiet_busy", o.quiet_busy},
                       {"poll_interval_ms", o.poll_ms},
                       {"debounce_ms", o.debounce_ms},
                       {"warmup_s", o.warmup_s},
                       {"window_s", o.window_s},
                       {"changes", o.changes},
                       {"change_interval_ms", o.change_interval_ms},
                       {"layout", "one TCP server, unit ids 1..N, discrete inputs 0..1 per unit"}};
  test::MosquittoBroker broker;
  const pid_t broker_pid =
      find_process(std::filesystem::path(broker.log_path()).parent_path().string());
  MessageLog log;
  ThinSubscriber subscriber(
      broker.port(), {kModbusEventsTopic, kNodeRedEventsTopic},
      [&log](std::string_view t, std::string_view p, Clock::time_point at) { log.add(t, p, at); });
  const std::uint16_t modbus_port = test::free_tcp_port();
  ModbusDoorServer server(modbus_port);
  for (int u = 1; u <= 247; ++u) server.set_discrete_input(u, 1, false);  // tables exist

  if (!o.skip_agent) {
    const int largest = *std::max_element(o.doors.begin(), o.doors.end());
    Json rows = Json::array();
    for (int n : o.doors) {
      rows.push_back(run_agent(server, modbus_port, broker, broker_pid, n,
                               n == largest && o.changes > 0, log, o));
    }
    summary["dockgate_fit"] = cpu_fit(rows);
    summary["dockgate"] = rows;
  }
  if (o.node_red) {
    const int largest = *std::max_element(o.node_red_doors.begin(), o.node_red_doors.end());
    Json rows = Json::array();
    for (int n : o.node_red_doors) {
      rows.push_back(run_node_red(server, modbus_port, broker, broker_pid, n,
                                  n == largest && o.changes > 0, log, o));
    }
    summary["node_red_fit"] = cpu_fit(rows);
    summary["node_red"] = rows;
  }
  summary["server"] = {{"connections", server.connections()},
                       {"door_polls", server.reads_total()},
                       {"other_requests", server.other_requests()}};
  print_summary(summary);
  return 0;
}

}  // namespace
}  // namespace dockgate::bench

int main(int argc, char** argv) {
  using dockgate::bench::Options;
  Options o;
  const std::string here = DOCKGATE_BENCH_DIR;
  o.node_red_dir = here + "/out/node-red";
  o.flow_template = here + "/node-red/flow-template.json";
  CLI::App app{"dockgate Modbus dock-sensor benchmark (N doors on one Modbus TCP server)"};
  app.add_option("--doors", o.doors, "door counts to measure, e.g. 1,2,4,8,16,32")
      ->delimiter(',')
      ->check(CLI::Range(1, 247));
  app.add_option("--poll-interval", o.poll_ms, "ms, every door")->check(CLI::Range(10, 60'000));
  app.add_option("--debounce", o.debounce_ms, "ms, every point (agent only)")
      ->check(CLI::Range(0, 60'000));
  app.add_option("--warmup", o.warmup_s, "s of polling before each window")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--window", o.window_s, "s measured per door count")->check(CLI::PositiveNumber);
  app.add_option("--changes", o.changes, "latency: trailer toggles at the largest N (0 = skip)")
      ->check(CLI::Range(0, 100'000));
  app.add_option("--change-interval", o.change_interval_ms, "latency: ms between toggles (+-50)")
      ->check(CLI::Range(60, 60'000));
  app.add_option("--seed", o.seed, "latency: door choice and jitter");
  app.add_flag("--node-red", o.node_red, "also measure Node-RED (bench/node-red/setup first)");
  app.add_option("--node-red-doors", o.node_red_doors, "door counts for Node-RED")
      ->delimiter(',')
      ->check(CLI::Range(1, 247));
  app.add_option("--node-red-dir", o.node_red_dir, "where bench/node-red/setup installed it");
  app.add_option("--flow-template", o.flow_template, "Node-RED flow template");
  app.add_flag("--skip-agent", o.skip_agent, "measure Node-RED only");
  app.add_option("--quiet-busy", o.quiet_busy,
                 "before each window wait until at most this many cores were busy over 2 s");
  app.add_option("--quiet-timeout", o.quiet_timeout_s, "s, longest such wait")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--keep", o.keep, "keep the temp dirs (configs, logs, outbox)");
  CLI11_PARSE(app, argc, argv);
  try {
    return dockgate::bench::run(o);
  } catch (const std::exception& e) {
    std::cerr << "modbus_bench: " << e.what() << "\n";
    return 1;
  }
}

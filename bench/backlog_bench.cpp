// SPDX-License-Identifier: Apache-2.0
// Backlog: --events scans buffered by the real `dockgate` binary while the broker is down,
// then the broker comes back and the agent drains the backlog in batched EPCIS documents.
//   - ingest: scans over TCP, never more than --window ahead of the last commit (the agent's
//     in-memory queue holds 100,000 records; beyond it reads would be rejected);
//   - agent RSS (/proc/<pid>/status VmRSS) every --sample-every committed events;
//   - buffer bytes per event = database file size / backlog rows, after the WAL checkpoint;
//   - drain: broker start -> the subscriber holds every event; events/s; gatewaySeq 1..last
//     all present.
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include "bench/bench_agent.hpp"
#include "bench/event_collector.hpp"
#include "bench/proc_stats.hpp"
#include "bench/scan_load.hpp"
#include "bench/summary.hpp"
#include "bench/thin_subscriber.hpp"
#include "buffer/outbox.hpp"
#include "tests/integration/agent_harness.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/net.hpp"

namespace dockgate::bench {
namespace {

using std::chrono::milliseconds;
using Json = nlohmann::ordered_json;

struct Options {
  std::uint64_t events = 1'000'000;
  std::uint64_t window = 50'000;
  std::uint64_t frames_per_write = 64;
  std::uint64_t sample_every = 100'000;
  double drain_timeout_s = 240;
  std::uint32_t max_message_bytes = 0;
  std::uint32_t max_events_per_message = 0;
  std::string agent_prefix;
  bool keep = false;
};

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

std::uint64_t file_size_or_0(const std::string& path) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : n;
}

/// Opens the agent's outbox read-only once the agent created it.
std::unique_ptr<buffer::OutboxReader> open_reader(const std::string& path) {
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (true) {
    try {
      return std::make_unique<buffer::OutboxReader>(path);
    } catch (const buffer::OutboxError&) {
      if (Clock::now() > deadline) throw;
      std::this_thread::sleep_for(milliseconds(20));
    }
  }
}

Json memory_point(std::uint64_t events, pid_t pid, Clock::time_point t0) {
  const MemorySample m = memory_of(pid);
  return {{"events", events},
          {"t_s", round_to(seconds_between(t0, Clock::now()), 2)},
          {"rss_kib", m.rss_kib},
          {"hwm_kib", m.hwm_kib}};
}

/// Sends every scan while the broker is down; samples RSS at each --sample-every commits.
Json ingest(test::TcpScanner& scanner, buffer::OutboxReader& reader, std::uint64_t base_seq,
            pid_t agent_pid, const Options& o,
            const std::vector<std::pair<std::string, pid_t>>& procs, Json& samples) {
  const CpuMeter meter(procs);
  const auto t0 = Clock::now();
  samples.push_back(memory_point(0, agent_pid, t0));
  std::uint64_t next_sample = o.sample_every;
  std::uint64_t sent = 0;
  std::uint64_t committed = 0;
  auto last_progress = Clock::now();
  const auto refresh = [&] {
    const std::uint64_t now_committed = reader.stats().last_seq - base_seq;
    if (now_committed != committed) last_progress = Clock::now();
    committed = now_committed;
    while (committed >= next_sample && next_sample <= o.events) {
      samples.push_back(memory_point(next_sample, agent_pid, t0));
      std::cerr << "  " << samples.back().dump() << "\n";
      next_sample += o.sample_every;
    }
    if (Clock::now() - last_progress > std::chrono::seconds(30)) {
      throw std::runtime_error("no commit for 30 s at " + std::to_string(committed) + " events");
    }
  };
  std::uint64_t since_refresh = 0;
  while (sent < o.events) {
    if (sent - committed >= o.window || since_refresh >= 1024) {
      refresh();
      since_refresh = 0;
      if (sent - committed >= o.window) {
        std::this_thread::sleep_for(milliseconds(2));
        continue;
      }
    }
    const std::uint64_t k =
        std::min({o.frames_per_write, o.events - sent, o.window - (sent - committed)});
    scanner.send(scan_frames(1 + sent, k));
    sent += k;
    since_refresh += k;
  }
  const auto t_sent = Clock::now();
  while (committed < o.events) {
    std::this_thread::sleep_for(milliseconds(5));
    refresh();
  }
  const auto t_done = Clock::now();
  Json j;
  j["scans"] = o.events;
  j["window"] = o.window;
  j["send_seconds"] = round_to(seconds_between(t0, t_sent), 3);
  j["seconds_to_all_committed"] = round_to(seconds_between(t0, t_done), 3);
  j["committed_per_s"] = round_to(static_cast<double>(o.events) / seconds_between(t0, t_done), 0);
  j["cpu"] = meter.read();
  return j;
}

int run(const Options& o) {
  Json summary = summary_header("backlog");
  test::TempDir dir("dockgate-bench-backlog");
  if (o.keep) dir.keep();
  test::MosquittoBroker broker;
  const std::string broker_dir = std::filesystem::path(broker.log_path()).parent_path().string();
  broker.stop();  // the outage: the agent buffers everything

  BenchAgentConfig cfg;
  cfg.broker_port = broker.port();
  cfg.scanner_port = test::free_tcp_port();
  cfg.db_path = dir.file("outbox.db");
  cfg.max_message_bytes = o.max_message_bytes;
  cfg.max_events_per_message = o.max_events_per_message;
  std::istringstream prefix(o.agent_prefix);
  for (std::string word; prefix >> word;) cfg.command_prefix.push_back(word);
  BenchAgent agent(dir, cfg);
  agent.start();
  if (!test::wait_for_port(cfg.scanner_port, std::chrono::seconds(10))) {
    throw std::runtime_error("agent did not listen on the scanner port:\n" + agent.log());
  }
  auto reader = open_reader(cfg.db_path);
  test::TcpScanner scanner(cfg.scanner_port);
  std::this_thread::sleep_for(milliseconds(300));  // the "scanner connected" exception commits
  const std::uint64_t base_seq = reader->stats().last_seq;
  const std::vector<std::pair<std::string, pid_t>> agent_only{{"agent", agent.pid()},
                                                              {"bench", ::getpid()}};

  std::cerr << "ingest: " << o.events << " scans with the broker down\n";
  Json samples = Json::array();
  summary["ingest"] = ingest(scanner, *reader, base_seq, agent.pid(), o, agent_only, samples);
  std::cerr << "  " << summary["ingest"].dump() << "\n";

  // The writer checkpoints (TRUNCATE) after 200 ms without writes: then the main file holds
  // every row and the -wal file is empty.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  samples.push_back(memory_point(o.events, agent.pid(), Clock::now()));
  samples.back().erase("t_s");
  samples.back()["note"] = "idle, 1.5 s after the last commit";
  summary["rss_samples"] = samples;
  const auto status = agent.status();
  const auto backlog = status["backlogCount"].get<std::uint64_t>();
  const auto file_bytes = status["fileBytes"].get<std::uint64_t>();
  const auto wal_bytes = file_size_or_0(cfg.db_path + "-wal");
  summary["buffer"] = {
      {"status", status},
      {"wal_bytes", wal_bytes},
      {"bytes_per_event",
       round_to(static_cast<double>(file_bytes) / static_cast<double>(backlog), 1)},
      {"bytes_per_event_incl_wal",
       round_to(static_cast<double>(file_bytes + wal_bytes) / static_cast<double>(backlog), 1)},
      {"payload_bytes_per_event",
       round_to(status["backlogBytes"].get<double>() / static_cast<double>(backlog), 1)}};
  std::cerr << "  " << summary["buffer"].dump() << "\n";
  std::uint64_t rss_max = 0;
  for (const auto& s : samples) rss_max = std::max(rss_max, s["rss_kib"].get<std::uint64_t>());

  // Drain. The subscriber (clean session) must be subscribed before the agent's first
  // PUBLISH: it connects within milliseconds of the broker, the agent after its reconnect
  // backoff (100 ms .. 1 s); a lost race shows up as missing seqs below.
  const auto last_seq = status["lastGatewaySeq"].get<std::uint64_t>();
  EventCollector collector(o.events + 1, last_seq + 1'000, kEventsTopic, kExceptionsTopic);
  const pid_t agent_pid = agent.pid();
  std::cerr << "drain: broker up\n";
  broker.start();
  const auto t_up = Clock::now();
  ThinSubscriber subscriber(broker.port(), {kEventsTopic, kExceptionsTopic},
                            [&collector](std::string_view t, std::string_view p,
                                         Clock::time_point at) { collector.on_message(t, p, at); });
  const auto t_subscribed = Clock::now();
  const pid_t broker_pid = find_process(broker_dir);
  const CpuMeter meter({{"agent", agent_pid}, {"broker", broker_pid}, {"bench", ::getpid()}});
  std::uint64_t drain_rss_max = 0;
  const auto deadline = t_up + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(o.drain_timeout_s));
  while (!collector.wait_events(o.events, milliseconds(250))) {
    drain_rss_max = std::max(drain_rss_max, memory_of(agent_pid).rss_kib);
    if (Clock::now() > deadline || !subscriber.connected()) {
      throw std::runtime_error("drain: " + std::to_string(collector.events()) + " of " +
                               std::to_string(o.events) + " events arrived; subscriber " +
                               (subscriber.connected() ? "connected" : subscriber.error()));
    }
  }
  const Json cpu = meter.read();
  drain_rss_max = std::max(drain_rss_max, memory_of(agent_pid).rss_kib);
  const auto t_first = collector.first_event_time();
  const auto t_last = collector.last_event_time();
  Clock::time_point t_empty{};
  while (Clock::now() < t_up + std::chrono::seconds(60) + (t_last - t_up)) {
    if (agent.status()["backlogCount"].get<std::uint64_t>() == 0) {
      t_empty = Clock::now();
      break;
    }
    std::this_thread::sleep_for(milliseconds(10));
  }
  std::this_thread::sleep_for(milliseconds(200));  // late exceptions / duplicates
  const SeqCheck seqs = collector.check_seqs(last_seq);
  std::uint64_t serials_missing = 0;
  for (std::uint64_t s = 1; s <= o.events; ++s) {
    if (collector.received_at(s).time_since_epoch().count() == 0) ++serials_missing;
  }
  Json drain;
  drain["events"] = collector.events();
  drain["subscribed_after_broker_up_ms"] =
      round_to(std::chrono::duration<double, std::milli>(t_subscribed - t_up).count(), 1);
  drain["first_event_after_broker_up_s"] = round_to(seconds_between(t_up, t_first), 3);
  drain["seconds_first_to_last_event"] = round_to(seconds_between(t_first, t_last), 3);
  drain["events_per_s"] =
      round_to(static_cast<double>(o.events) / seconds_between(t_first, t_last), 0);
  drain["events_per_s_from_broker_up"] =
      round_to(static_cast<double>(o.events) / seconds_between(t_up, t_last), 0);
  drain["seconds_broker_up_to_backlog_0"] = t_empty == Clock::time_point{}
                                                ? Json(nullptr)
                                                : Json(round_to(seconds_between(t_up, t_empty), 3));
  drain["messages"] = collector.event_messages();
  drain["events_per_message_avg"] = round_to(
      static_cast<double>(collector.events()) / static_cast<double>(collector.event_messages()), 1);
  drain["events_per_message_max"] = collector.max_events_per_message();
  drain["message_bytes_avg"] = round_to(static_cast<double>(collector.payload_bytes()) /
                                            static_cast<double>(collector.event_messages()),
                                        0);
  drain["agent_rss_max_kib"] = drain_rss_max;
  drain["events_per_100ms_from_first_event"] = collector.timeline(t_first, milliseconds(100));
  drain["cpu"] = cpu;
  summary["drain"] = drain;
  summary["check"] = {{"last_gateway_seq", last_seq},
                      {"exception_messages", collector.exception_messages()},
                      {"seq_missing", seqs.missing},
                      {"seq_first_missing", seqs.first_missing},
                      {"seq_duplicates", seqs.duplicates},
                      {"seq_out_of_range", seqs.out_of_range},
                      {"scan_serials_missing", serials_missing},
                      {"rejected_total", status["rejectedTotal"]},
                      {"documents_checked", collector.documents_checked()},
                      {"document_problem", collector.document_problem()}};
  summary["agent_rss_max_kib_while_buffering"] = rss_max;
  summary["agent_options"] = {{"max_message_bytes", o.max_message_bytes},
                              {"max_events_per_message", o.max_events_per_message},
                              {"note", "0 = the agent's default"}};
  summary["agent_stop"] = agent.stop();
  summary["subscriber"] = "thin raw-socket MQTT 3.1.1 QoS 1 subscriber (bench/thin_subscriber)";
  std::cerr << "  " << summary["drain"].dump() << "\n  " << summary["check"].dump() << "\n";
  print_summary(std::move(summary));
  return 0;
}

}  // namespace
}  // namespace dockgate::bench

int main(int argc, char** argv) {
  dockgate::bench::Options o;
  CLI::App app{"dockgate backlog benchmark (buffer with the broker down, then drain)"};
  app.add_option("--events", o.events, "scans buffered")->check(CLI::Range(1, 100'000'000));
  app.add_option("--window", o.window, "scans sent ahead of the last commit at most")
      ->check(CLI::Range(1, 90'000));
  app.add_option("--frames-per-write", o.frames_per_write, "frames per TCP write")
      ->check(CLI::PositiveNumber);
  app.add_option("--sample-every", o.sample_every, "RSS sample every N committed events")
      ->check(CLI::PositiveNumber);
  app.add_option("--drain-timeout", o.drain_timeout_s, "seconds")->check(CLI::PositiveNumber);
  app.add_option("--max-message-bytes", o.max_message_bytes,
                 "agent uplink.mqtt.max_message_bytes (0 = the agent's default)");
  app.add_option("--max-events-per-message", o.max_events_per_message,
                 "agent uplink.mqtt.max_events_per_message (0 = the agent's default)");
  app.add_option("--agent-prefix", o.agent_prefix,
                 "command words before the agent's, e.g. \"valgrind --tool=massif\" (profiling)");
  app.add_flag("--keep", o.keep, "keep the temp dir (agent log, database)");
  CLI11_PARSE(app, argc, argv);
  try {
    return dockgate::bench::run(o);
  } catch (const std::exception& e) {
    std::cerr << "backlog_bench: " << e.what() << "\n";
    return 1;
  }
}

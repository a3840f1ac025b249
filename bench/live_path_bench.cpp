// SPDX-License-Identifier: Apache-2.0
// Live path: scans over TCP (tcp_scanner, server mode) into the real `dockgate` binary with
// buffer.sync full -> SQLite outbox -> MQTT QoS 1 -> mosquitto -> a QoS 1 subscriber.
//   1. throughput: a closed-loop load generator keeps at most --window scans in flight
//      (sent, not yet received by the subscriber); events/s = scans / (first send -> last
//      event received). Also the time until `dockgate status` shows backlog 0 (all PUBACKed).
//   2. latency: --rate scans/s for --duration s, one frame per write, send time stamped per
//      scan, matched to the subscriber's receipt by SSCC serial: p50/p99/max.
//   3. Paho floor and ceiling on the same broker: paced single publishes at --rate (latency
//      publish() -> thin subscriber), then QoS 1 publishes as fast as a window of 64 allows
//      (one message each), with and without a subscriber on the topic.
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include "bench/bench_agent.hpp"
#include "bench/event_collector.hpp"
#include "bench/paho_ceiling.hpp"
#include "bench/proc_stats.hpp"
#include "bench/scan_load.hpp"
#include "bench/summary.hpp"
#include "bench/thin_subscriber.hpp"
#include "tests/integration/agent_harness.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/net.hpp"

namespace dockgate::bench {
namespace {

using std::chrono::milliseconds;
using Json = nlohmann::ordered_json;

/// Size of the agent's EPCIS document holding one scan event (as the subscriber sees it).
constexpr std::size_t kOneEventDocumentBytes = 960;

struct Options {
  std::uint64_t warmup = 2'000;
  std::uint64_t events = 200'000;
  std::uint64_t window = 20'000;
  std::uint64_t frames_per_write = 64;
  double rate = 1'000;
  double duration_s = 10;
  std::uint64_t ceiling_messages = 100'000;
  std::size_t ceiling_payload = 600;
  std::uint32_t ceiling_window = 64;
  bool skip_ceiling = false;
  std::uint32_t max_message_bytes = 0;
  std::uint32_t max_events_per_message = 0;
  std::string agent_prefix;
  std::string commit_max_delay;
  bool keep = false;
};

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

/// Sends `count` scans from serial `first`, never more than `window` ahead of the subscriber.
void send_closed_loop(test::TcpScanner& scanner, const EventCollector& collector,
                      std::uint64_t received_before, std::uint64_t first, std::uint64_t count,
                      const Options& o) {
  std::uint64_t sent = 0;
  auto last_progress = Clock::now();
  std::uint64_t last_received = 0;
  while (sent < count) {
    const std::uint64_t received = collector.events() - received_before;
    if (received != last_received) {
      last_received = received;
      last_progress = Clock::now();
    }
    const std::uint64_t ahead = sent - std::min(sent, received);
    if (ahead >= o.window) {
      if (Clock::now() - last_progress > std::chrono::seconds(30)) {
        throw std::runtime_error("no event received for 30 s (" + std::to_string(received) +
                                 " of " + std::to_string(sent) + " sent)");
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      continue;
    }
    const std::uint64_t k = std::min({o.frames_per_write, count - sent, o.window - ahead});
    scanner.send(scan_frames(first + sent, k));
    sent += k;
  }
}

/// Polls `dockgate status` until backlogCount is 0; returns when it was first seen.
Clock::time_point wait_backlog_empty(const BenchAgent& agent, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (agent.status()["backlogCount"].get<std::uint64_t>() == 0) return Clock::now();
    std::this_thread::sleep_for(milliseconds(10));
  }
  throw std::runtime_error("backlog not empty after " + std::to_string(timeout.count()) + " ms");
}

Json latency_phase(test::TcpScanner& scanner, const EventCollector& collector,
                   std::uint64_t first_serial, std::uint64_t count, const Options& o,
                   const std::vector<std::pair<std::string, pid_t>>& procs) {
  const auto interval =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / o.rate));
  std::vector<std::string> frames;
  frames.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) frames.push_back(scan_frame(first_serial + i));
  std::vector<Clock::time_point> sent_at(count);
  const std::uint64_t received_before = collector.events();
  std::uint64_t late_sends = 0;
  const CpuMeter meter(procs);
  const auto start = Clock::now() + milliseconds(10);
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto target = start + interval * static_cast<Clock::rep>(i);
    std::this_thread::sleep_until(target);
    sent_at[i] = Clock::now();
    if (sent_at[i] - target > milliseconds(1)) ++late_sends;
    scanner.send(frames[i]);
  }
  const auto send_end = Clock::now();
  if (!collector.wait_events(received_before + count, std::chrono::seconds(30))) {
    throw std::runtime_error(
        "latency phase: " + std::to_string(collector.events() - received_before) + " of " +
        std::to_string(count) + " events arrived");
  }
  Json cpu = meter.read();
  std::vector<double> ms;
  ms.reserve(count);
  std::vector<std::pair<double, double>> by_time;  // (latency ms, send offset s)
  std::uint64_t unmatched = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto got = collector.received_at(first_serial + i);
    if (got.time_since_epoch().count() == 0) {
      ++unmatched;
      continue;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(got - sent_at[i]).count());
    by_time.emplace_back(ms.back(), seconds_between(start, sent_at[i]));
  }
  std::sort(ms.begin(), ms.end());
  // The slowest scans and when they were sent: periodic spikes point at a periodic cause.
  std::sort(by_time.begin(), by_time.end(), std::greater<>());
  Json slowest = Json::array();
  for (std::size_t i = 0; i < std::min<std::size_t>(12, by_time.size()); ++i) {
    slowest.push_back(
        {{"ms", round_to(by_time[i].first, 2)}, {"sent_at_s", round_to(by_time[i].second, 3)}});
  }
  double sum = 0;
  for (double v : ms) sum += v;
  Json j;
  j["scans"] = count;
  j["target_rate_per_s"] = o.rate;
  j["achieved_send_rate_per_s"] =
      round_to(static_cast<double>(count) / seconds_between(start, send_end), 1);
  j["late_sends_over_1ms"] = late_sends;
  j["unmatched"] = unmatched;
  j["p50_ms"] = round_to(percentile(ms, 50), 3);
  j["p90_ms"] = round_to(percentile(ms, 90), 3);
  j["p99_ms"] = round_to(percentile(ms, 99), 3);
  j["p999_ms"] = round_to(percentile(ms, 99.9), 3);
  j["max_ms"] = round_to(ms.empty() ? 0 : ms.back(), 3);
  j["mean_ms"] = round_to(ms.empty() ? 0 : sum / static_cast<double>(ms.size()), 3);
  j["over_10ms"] =
      static_cast<std::uint64_t>(ms.end() - std::upper_bound(ms.begin(), ms.end(), 10.0));
  j["slowest"] = slowest;
  j["cpu"] = cpu;
  return j;
}

Json throughput_phase(test::TcpScanner& scanner, const EventCollector& collector,
                      const BenchAgent& agent, std::uint64_t first_serial, const Options& o,
                      const std::vector<std::pair<std::string, pid_t>>& procs) {
  const std::uint64_t received_before = collector.events();
  const std::uint64_t messages_before = collector.event_messages();
  const CpuMeter meter(procs);
  const auto t0 = Clock::now();
  send_closed_loop(scanner, collector, received_before, first_serial, o.events, o);
  const auto t_sent = Clock::now();
  if (!collector.wait_events(received_before + o.events, std::chrono::seconds(120))) {
    throw std::runtime_error(
        "throughput phase: " + std::to_string(collector.events() - received_before) + " of " +
        std::to_string(o.events) + " events arrived");
  }
  const auto t_last = collector.last_event_time();
  Json cpu = meter.read();
  const auto t_empty = wait_backlog_empty(agent, std::chrono::seconds(60));
  const double secs = seconds_between(t0, t_last);
  const std::uint64_t messages = collector.event_messages() - messages_before;
  Json j;
  j["scans"] = o.events;
  j["window"] = o.window;
  j["frames_per_write"] = o.frames_per_write;
  j["seconds_to_last_event"] = round_to(secs, 3);
  j["events_per_s"] = round_to(static_cast<double>(o.events) / secs, 0);
  j["send_seconds"] = round_to(seconds_between(t0, t_sent), 3);
  j["seconds_to_backlog_0"] = round_to(seconds_between(t0, t_empty), 3);
  j["events_per_s_to_backlog_0"] =
      round_to(static_cast<double>(o.events) / seconds_between(t0, t_empty), 0);
  j["messages"] = messages;
  j["events_per_message_avg"] = round_to(
      static_cast<double>(o.events) / static_cast<double>(std::max<std::uint64_t>(messages, 1)), 2);
  j["cpu"] = cpu;
  return j;
}

/// The same paced rate through raw Paho C++ to the same broker and a thin subscriber.
Json paho_latency_phase(const test::MosquittoBroker& broker, std::uint64_t count,
                        std::size_t payload_bytes, const Options& o) {
  PahoLatencyOptions p;
  p.uri = broker.uri();
  p.port = broker.port();
  p.messages = count;
  p.rate = o.rate;
  p.payload_bytes = payload_bytes;
  const std::vector<double> in_order = measure_paho_latency(p);
  std::vector<double> ms;
  for (double v : in_order) {
    if (v >= 0) ms.push_back(v);
  }
  std::sort(ms.begin(), ms.end());
  Json j;
  j["messages"] = count;
  j["payload_bytes"] = payload_bytes;
  j["rate_per_s"] = o.rate;
  j["lost"] = count - ms.size();
  j["p50_ms"] = round_to(percentile(ms, 50), 3);
  j["p90_ms"] = round_to(percentile(ms, 90), 3);
  j["p99_ms"] = round_to(percentile(ms, 99), 3);
  j["max_ms"] = round_to(ms.empty() ? 0 : ms.back(), 3);
  return j;
}

Json ceiling_phase(const test::MosquittoBroker& broker, pid_t broker_pid, bool with_subscriber,
                   const Options& o) {
  std::atomic<std::uint64_t> received{0};
  std::unique_ptr<ThinSubscriber> sub;
  CeilingOptions c;
  c.uri = broker.uri();
  c.topic = "bench/ceiling";
  c.messages = o.ceiling_messages;
  c.payload_bytes = o.ceiling_payload;
  c.window = o.ceiling_window;
  if (with_subscriber) {
    sub = std::make_unique<ThinSubscriber>(
        broker.port(), std::vector<std::string>{c.topic},
        [&received](std::string_view, std::string_view, Clock::time_point) { ++received; });
  }
  const CpuMeter meter({{"broker", broker_pid}, {"bench", ::getpid()}});
  const CeilingResult r = measure_paho_ceiling(c);
  Json j;
  j["subscriber"] = with_subscriber ? "thin QoS 1" : "none";
  j["messages"] = r.messages;
  j["payload_bytes"] = c.payload_bytes;
  j["window"] = c.window;
  j["seconds"] = round_to(r.seconds, 3);
  j["messages_per_s"] = round_to(r.messages_per_s, 0);
  j["failures"] = r.failures;
  j["cpu"] = meter.read();
  if (with_subscriber) {
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (received.load() < c.messages + c.warmup && Clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(5));
    }
    j["subscriber_received"] = received.load();
  }
  return j;
}

int run(const Options& o) {
  Json summary = summary_header("live_path");
  test::TempDir dir("dockgate-bench-live");
  if (o.keep) dir.keep();
  test::MosquittoBroker broker;
  const pid_t broker_pid =
      find_process(std::filesystem::path(broker.log_path()).parent_path().string());

  const auto count = static_cast<std::uint64_t>(o.rate * o.duration_s);
  if (count == 0) throw std::runtime_error("--rate x --duration must give at least one scan");
  const std::uint64_t total = o.warmup + o.events + count;
  EventCollector collector(total + 1, total + 1'000, kEventsTopic, kExceptionsTopic);
  ThinSubscriber subscriber(broker.port(), {kEventsTopic, kExceptionsTopic},
                            [&collector](std::string_view t, std::string_view p,
                                         Clock::time_point at) { collector.on_message(t, p, at); });

  BenchAgentConfig cfg;
  cfg.broker_port = broker.port();
  cfg.scanner_port = test::free_tcp_port();
  cfg.db_path = dir.file("outbox.db");
  cfg.max_message_bytes = o.max_message_bytes;
  cfg.max_events_per_message = o.max_events_per_message;
  cfg.commit_max_delay = o.commit_max_delay;
  std::istringstream prefix(o.agent_prefix);
  for (std::string word; prefix >> word;) cfg.command_prefix.push_back(word);
  BenchAgent agent(dir, cfg);
  agent.start();
  if (!test::wait_for_port(cfg.scanner_port, std::chrono::seconds(10))) {
    throw std::runtime_error("agent did not listen on the scanner port:\n" + agent.log());
  }
  const std::vector<std::pair<std::string, pid_t>> procs{
      {"agent", agent.pid()}, {"broker", broker_pid}, {"bench", ::getpid()}};
  test::TcpScanner scanner(cfg.scanner_port);

  std::cerr << "warm-up: " << o.warmup << " scans\n";
  send_closed_loop(scanner, collector, 0, 1, o.warmup, o);
  if (!collector.wait_events(o.warmup, std::chrono::seconds(30))) {
    throw std::runtime_error("warm-up events did not arrive:\n" + agent.log());
  }

  std::cerr << "throughput: " << o.events << " scans, window " << o.window << "\n";
  summary["throughput"] = throughput_phase(scanner, collector, agent, 1 + o.warmup, o, procs);
  std::cerr << "  " << summary["throughput"].dump() << "\n";

  std::cerr << "latency: " << o.rate << " scans/s for " << o.duration_s << " s\n";
  summary["latency"] = latency_phase(scanner, collector, 1 + o.warmup + o.events, count, o, procs);
  std::cerr << "  " << summary["latency"].dump() << "\n";

  // Every scan and device exception numbered 1..lastGatewaySeq must have arrived once.
  std::this_thread::sleep_for(milliseconds(200));
  const auto status = agent.status();
  const auto last_seq = status["lastGatewaySeq"].get<std::uint64_t>();
  const SeqCheck seqs = collector.check_seqs(last_seq);
  summary["check"] = {
      {"last_gateway_seq", last_seq},
      {"missing", seqs.missing},
      {"first_missing", seqs.first_missing},
      {"duplicates", seqs.duplicates},
      {"out_of_range", seqs.out_of_range},
      {"rejected_total", status["rejectedTotal"]},
      {"documents_checked", collector.documents_checked()},
      {"document_problem", collector.document_problem()},
      {"event_bytes_avg", round_to(static_cast<double>(collector.payload_bytes()) /
                                       static_cast<double>(collector.event_messages()),
                                   0)}};
  summary["agent_memory_kib"] = {{"rss", memory_of(agent.pid()).rss_kib},
                                 {"hwm", memory_of(agent.pid()).hwm_kib}};
  summary["agent_options"] = {{"max_message_bytes", o.max_message_bytes},
                              {"max_events_per_message", o.max_events_per_message},
                              {"commit_max_delay", o.commit_max_delay},
                              {"note", "0 = the agent's default"}};
  summary["agent_stop"] = agent.stop();

  if (!o.skip_ceiling) {
    std::cerr << "raw Paho latency: " << o.rate << " messages/s, one message each\n";
    summary["paho_latency"] = paho_latency_phase(broker, count, kOneEventDocumentBytes, o);
    std::cerr << "  " << summary["paho_latency"].dump() << "\n";
    std::cerr << "ceiling: raw Paho C++ QoS 1, " << o.ceiling_messages << " x " << o.ceiling_payload
              << " bytes, window " << o.ceiling_window << "\n";
    summary["ceiling_with_subscriber"] = ceiling_phase(broker, broker_pid, true, o);
    std::cerr << "  " << summary["ceiling_with_subscriber"].dump() << "\n";
    summary["ceiling_no_subscriber"] = ceiling_phase(broker, broker_pid, false, o);
    std::cerr << "  " << summary["ceiling_no_subscriber"].dump() << "\n";
  }
  summary["subscriber"] = "thin raw-socket MQTT 3.1.1 QoS 1 subscriber (bench/thin_subscriber)";
  print_summary(std::move(summary));
  return 0;
}

}  // namespace
}  // namespace dockgate::bench

int main(int argc, char** argv) {
  dockgate::bench::Options o;
  CLI::App app{"dockgate live-path benchmark (TCP scans -> agent -> MQTT QoS 1 subscriber)"};
  app.add_option("--warmup", o.warmup, "scans before measuring");
  app.add_option("--events", o.events, "scans in the throughput phase");
  app.add_option("--window", o.window, "throughput: scans in flight at most")
      ->check(CLI::PositiveNumber);
  app.add_option("--frames-per-write", o.frames_per_write, "throughput: frames per TCP write")
      ->check(CLI::PositiveNumber);
  app.add_option("--rate", o.rate, "latency: scans per second")->check(CLI::PositiveNumber);
  app.add_option("--duration", o.duration_s, "latency: seconds")->check(CLI::PositiveNumber);
  app.add_option("--ceiling-messages", o.ceiling_messages, "ceiling: timed messages")
      ->check(CLI::PositiveNumber);
  app.add_option("--ceiling-payload", o.ceiling_payload, "ceiling: payload bytes");
  app.add_option("--ceiling-window", o.ceiling_window, "ceiling: PUBACKs outstanding at most")
      ->check(CLI::Range(1, 90));
  app.add_flag("--skip-ceiling", o.skip_ceiling,
               "skip the raw Paho phases (latency floor, ceiling)");
  app.add_option("--max-message-bytes", o.max_message_bytes,
                 "agent uplink.mqtt.max_message_bytes (0 = the agent's default)");
  app.add_option("--max-events-per-message", o.max_events_per_message,
                 "agent uplink.mqtt.max_events_per_message (0 = the agent's default)");
  app.add_option("--commit-max-delay", o.commit_max_delay,
                 "agent buffer.commit_max_delay, e.g. 0ms (default: the agent's)");
  app.add_option("--agent-prefix", o.agent_prefix,
                 "command words before the agent's, e.g. \"valgrind --tool=massif\" (profiling)");
  app.add_flag("--keep", o.keep, "keep the temp dir (agent log, database)");
  CLI11_PARSE(app, argc, argv);
  try {
    return dockgate::bench::run(o);
  } catch (const std::exception& e) {
    std::cerr << "live_path_bench: " << e.what() << "\n";
    return 1;
  }
}

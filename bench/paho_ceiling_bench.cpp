// SPDX-License-Identifier: Apache-2.0
// Raw Paho C++ QoS 1 publish rate against a private mosquitto on loopback: the ceiling for
// one message per publish (see paho_ceiling.hpp). Optionally with a thin QoS 1 subscriber on
// the topic, which makes the broker forward every message as the agent's consumers would.
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <thread>

#include "bench/paho_ceiling.hpp"
#include "bench/proc_stats.hpp"
#include "bench/summary.hpp"
#include "bench/thin_subscriber.hpp"
#include "tests/support/mosquitto_broker.hpp"

namespace dockgate::bench {
namespace {

struct Options {
  CeilingOptions ceiling;
  bool subscriber = false;
};

int run(Options o) {
  auto summary = summary_header("paho_ceiling");
  test::MosquittoBroker broker;
  const pid_t broker_pid =
      find_process(std::filesystem::path(broker.log_path()).parent_path().string());
  o.ceiling.uri = broker.uri();
  std::atomic<std::uint64_t> received{0};
  std::unique_ptr<ThinSubscriber> sub;
  if (o.subscriber) {
    sub = std::make_unique<ThinSubscriber>(
        broker.port(), std::vector<std::string>{o.ceiling.topic},
        [&received](std::string_view, std::string_view, std::chrono::steady_clock::time_point) {
          ++received;
        });
  }
  const CpuMeter meter({{"broker", broker_pid}, {"bench", ::getpid()}});
  const CeilingResult r = measure_paho_ceiling(o.ceiling);
  summary["subscriber"] = o.subscriber ? "thin QoS 1" : "none";
  summary["messages"] = r.messages;
  summary["payload_bytes"] = o.ceiling.payload_bytes;
  summary["window"] = o.ceiling.window;
  summary["seconds"] = round_to(r.seconds, 3);
  summary["messages_per_s"] = round_to(r.messages_per_s, 0);
  summary["mbytes_per_s"] =
      round_to(r.messages_per_s * static_cast<double>(o.ceiling.payload_bytes) / 1e6, 1);
  summary["failures"] = r.failures;
  summary["cpu"] = meter.read();
  if (sub) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (received.load() < o.ceiling.messages + o.ceiling.warmup &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    summary["subscriber_received"] = received.load();
  }
  print_summary(std::move(summary));
  return 0;
}

}  // namespace
}  // namespace dockgate::bench

int main(int argc, char** argv) {
  dockgate::bench::Options o;
  CLI::App app{"raw Paho C++ QoS 1 publish rate (one message per publish) on loopback mosquitto"};
  app.add_option("--messages", o.ceiling.messages, "timed messages")->check(CLI::PositiveNumber);
  app.add_option("--warmup", o.ceiling.warmup, "untimed messages first");
  app.add_option("--payload", o.ceiling.payload_bytes, "payload bytes")
      ->check(CLI::Range(1, 64 * 1024 * 1024));
  app.add_option("--window", o.ceiling.window, "PUBACKs outstanding at most")
      ->check(CLI::Range(1, 90));
  app.add_flag("--subscriber", o.subscriber, "a thin QoS 1 subscriber consumes the topic");
  CLI11_PARSE(app, argc, argv);
  try {
    return dockgate::bench::run(o);
  } catch (const std::exception& e) {
    std::cerr << "paho_ceiling_bench: " << e.what() << "\n";
    return 1;
  }
}

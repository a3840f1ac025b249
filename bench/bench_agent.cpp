#include "bench/bench_agent.hpp"

#include <filesystem>
#include <stdexcept>

#include "tests/integration/agent_harness.hpp"

namespace dockgate::bench {

std::string bench_agent_yaml(const BenchAgentConfig& c) {
  std::string batching;
  if (c.max_message_bytes != 0) {
    batching += "    max_message_bytes: " + std::to_string(c.max_message_bytes) + "\n";
  }
  if (c.max_events_per_message != 0) {
    batching += "    max_events_per_message: " + std::to_string(c.max_events_per_message) + "\n";
  }
  const std::string commit_delay =
      c.commit_max_delay.empty() ? "" : "  commit_max_delay: " + c.commit_max_delay + "\n";
  return R"(site:
  id: hub-bench
  gln: "4012345000016"
  time_zone_offset: "+01:00"
gateway:
  id: gw-bench
locations:
  - id: door-07
    direction: outbound
    gln_extension: DOOR07
drivers:
  - id: door07-net
    type: tcp_scanner
    location: door-07
    mode: server
    bind: 127.0.0.1
    port: )" +
         std::to_string(c.scanner_port) +
         R"(
buffer:
  path: )" +
         c.db_path +
         R"(
  sync: )" +
         c.sync +
         R"(
  max_queued_records: )" +
         std::to_string(c.max_queued_records) +
         R"(
uplink:
  mqtt:
    uri: tcp://127.0.0.1:)" +
         std::to_string(c.broker_port) +
         R"(
    keepalive: 10s
    reconnect_min: 100ms
    reconnect_max: )" +
         c.reconnect_max +
         R"(
    status_interval: 5s
)" + batching +
         R"(dedup_window: 0
log:
  level: info
)";
}

BenchAgent::BenchAgent(const test::TempDir& dir, const BenchAgentConfig& config)
    : dir_(dir.path()),
      command_prefix_(config.command_prefix),
      config_path_(dir.file("dockgate.yaml")),
      log_path_(dir.file("agent.log")) {
  test::write_file(config_path_, bench_agent_yaml(config));
}

BenchAgent::~BenchAgent() {
  if (process_) process_->kill();
}

void BenchAgent::start() {
  const std::string binary = test::dockgate_binary();
  if (!std::filesystem::exists(binary)) {
    throw std::runtime_error(binary + " not found: build the `dockgate` target first");
  }
  std::vector<std::string> args = command_prefix_;
  args.insert(args.end(), {binary, "run", "--config", config_path_});
  process_ =
      std::make_unique<test::Subprocess>(test::SpawnOptions{args, {}, "", log_path_, log_path_});
}

std::string BenchAgent::stop() {
  if (!process_) return "not started";
  return process_->terminate(std::chrono::seconds(10)).describe();
}

pid_t BenchAgent::pid() const {
  return process_ ? process_->pid() : -1;
}

bool BenchAgent::running() {
  return process_ && process_->running();
}

std::string BenchAgent::log() const {
  return test::read_file(log_path_);
}

nlohmann::json BenchAgent::status() const {
  const std::string out = dir_ + "/status.out";
  const std::string err = dir_ + "/status.err";
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  test::Subprocess p(test::SpawnOptions{
      {test::dockgate_binary(), "status", "--config", config_path_, "--json"}, {}, "", out, err});
  const auto st = p.wait_for(std::chrono::seconds(30));
  if (!st || !st->success()) {
    throw std::runtime_error("dockgate status failed: " + test::read_file(err));
  }
  return nlohmann::json::parse(test::read_file(out));
}

}  // namespace dockgate::bench

// SPDX-License-Identifier: Apache-2.0
#include "bench/bench_agent.hpp"

#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "tests/integration/agent_harness.hpp"

namespace dockgate::bench {

std::string bench_agent_yaml(const BenchAgentConfig& c) {
  std::ostringstream y;
  y << "site:\n"
    << "  id: hub-bench\n"
    << "  gln: \"4012345000016\"\n"
    << "  time_zone_offset: \"+01:00\"\n"
    << "gateway:\n"
    << "  id: gw-bench\n"
    << "locations:\n"
    << "  - id: door-07\n"
    << "    direction: outbound\n"
    << "    gln_extension: DOOR07\n"
    << "drivers:\n"
    << "  - id: door07-net\n"
    << "    type: tcp_scanner\n"
    << "    location: door-07\n"
    << "    mode: server\n"
    << "    bind: 127.0.0.1\n"
    << "    port: " << c.scanner_port << "\n"
    << "buffer:\n"
    << "  path: " << c.db_path << "\n"
    << "  sync: " << c.sync << "\n"
    << "  max_queued_records: " << c.max_queued_records << "\n";
  if (!c.commit_max_delay.empty()) y << "  commit_max_delay: " << c.commit_max_delay << "\n";
  y << "uplink:\n"
    << "  mqtt:\n"
    << "    uri: tcp://127.0.0.1:" << c.broker_port << "\n"
    << "    keepalive: 10s\n"
    << "    reconnect_min: 100ms\n"
    << "    reconnect_max: " << c.reconnect_max << "\n"
    << "    status_interval: 5s\n";
  if (c.max_message_bytes != 0) y << "    max_message_bytes: " << c.max_message_bytes << "\n";
  if (c.max_events_per_message != 0) {
    y << "    max_events_per_message: " << c.max_events_per_message << "\n";
  }
  y << "dedup_window: 0\n"
    << "log:\n"
    << "  level: info\n";
  return y.str();
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

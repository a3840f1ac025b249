// SPDX-License-Identifier: Apache-2.0
// The real `dockgate` binary under benchmark: its config, process, `dockgate status --json`,
// and its memory and CPU as the kernel reports them.
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/subprocess.hpp"
#include "tests/support/temp_dir.hpp"

namespace dockgate::bench {

inline constexpr const char* kEventsTopic = "dockgate/hub-bench/gw-bench/events";
inline constexpr const char* kExceptionsTopic = "dockgate/hub-bench/gw-bench/exceptions";
inline constexpr const char* kStatusTopic = "dockgate/hub-bench/gw-bench/status";

/// What a benchmark varies in the agent's config; the rest is fixed (one outbound door with
/// a tcp_scanner in server mode on 127.0.0.1, dedup off so no scan is suppressed, log info).
struct BenchAgentConfig {
  std::uint16_t broker_port = 0;
  std::uint16_t scanner_port = 0;
  std::string db_path;
  std::string sync = "full";                   ///< buffer.sync
  std::uint32_t max_queued_records = 100'000;  ///< buffer.max_queued_records
  std::string commit_max_delay;              ///< buffer.commit_max_delay, e.g. "0ms"; "" = default
  std::string reconnect_max = "1s";          ///< uplink.mqtt.reconnect_max
  std::uint32_t max_message_bytes = 0;       ///< uplink.mqtt.max_message_bytes; 0 = default
  std::uint32_t max_events_per_message = 0;  ///< uplink.mqtt.max_events_per_message; 0 = default
  /// Prepended to the command line, e.g. {"valgrind", "--tool=massif"} or {"perf", "record",
  /// "-g", "--"}. With a wrapper that forks (perf), pid() and RSS figures are the wrapper's.
  std::vector<std::string> command_prefix;
};

/// The YAML text of that config (site hub-bench, gateway gw-bench, door-07 outbound).
std::string bench_agent_yaml(const BenchAgentConfig& c);

class BenchAgent {
 public:
  /// Writes the config to <dir>/dockgate.yaml; the log goes to <dir>/agent.log.
  BenchAgent(const test::TempDir& dir, const BenchAgentConfig& config);
  /// Kills the agent if still running. Never throws.
  ~BenchAgent();
  BenchAgent(const BenchAgent&) = delete;
  BenchAgent& operator=(const BenchAgent&) = delete;

  /// `dockgate run --config <file>`. Throws std::runtime_error when the binary is missing.
  void start();
  /// SIGTERM and wait (graceful stop, up to 10 s). Returns "exit 0" etc.
  std::string stop();
  [[nodiscard]] pid_t pid() const;
  [[nodiscard]] bool running();
  [[nodiscard]] const std::string& config_path() const { return config_path_; }
  [[nodiscard]] std::string log() const;
  /// `dockgate status --config <file> --json`, parsed. Throws std::runtime_error (with the
  /// command's stderr) when it fails.
  [[nodiscard]] nlohmann::json status() const;

 private:
  std::string dir_;
  std::vector<std::string> command_prefix_;
  std::string config_path_;
  std::string log_path_;
  std::unique_ptr<test::Subprocess> process_;
};

}  // namespace dockgate::bench

// SPDX-License-Identifier: Apache-2.0
// Runs the real `dockgate` binary for integration tests: writes a config into a temp dir,
// starts/kills the agent, feeds scans through a socat pty pair (serial) and TCP, and reads
// `dockgate status --json`.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/subprocess.hpp"
#include "tests/support/temp_dir.hpp"

namespace dockgate::test {

/// Path of the built dockgate binary.
std::string dockgate_binary();

/// A socat pty pair: the driver opens `device()`, the test writes into the other end.
class PtyPair {
 public:
  explicit PtyPair(const std::string& dir, const std::string& name);
  ~PtyPair();
  PtyPair(const PtyPair&) = delete;
  PtyPair& operator=(const PtyPair&) = delete;
  void start();   ///< (re)creates the pair with the same link names; waits until both exist
  void unplug();  ///< kills socat: the driver sees the device vanish
  [[nodiscard]] const std::string& device() const { return device_; }
  /// Writes bytes as a scanner would (the caller adds CR/LF).
  void write(const std::string& bytes);

 private:
  std::string dir_;
  std::string device_;
  std::string sim_;
  std::unique_ptr<Subprocess> socat_;
  int sim_fd_ = -1;
};

/// A blocking TCP client connection to 127.0.0.1:port (network scanner in client role).
class TcpScanner {
 public:
  /// Connects, retrying up to `timeout`. Throws std::runtime_error on failure.
  explicit TcpScanner(std::uint16_t port,
                      std::chrono::milliseconds timeout = std::chrono::seconds(5));
  ~TcpScanner();
  TcpScanner(const TcpScanner&) = delete;
  TcpScanner& operator=(const TcpScanner&) = delete;
  void send(const std::string& bytes);

 private:
  int fd_ = -1;
};

/// A TCP listener that a tcp_scanner in client mode connects to; send() writes to the
/// accepted connection (waiting for it up to 5 s).
class TcpScannerServer {
 public:
  TcpScannerServer();
  ~TcpScannerServer();
  TcpScannerServer(const TcpScannerServer&) = delete;
  TcpScannerServer& operator=(const TcpScannerServer&) = delete;
  [[nodiscard]] std::uint16_t port() const { return port_; }
  void send(const std::string& bytes);

 private:
  int listen_fd_ = -1;
  int conn_fd_ = -1;
  std::uint16_t port_ = 0;
};

/// The agent process with its config file and log.
class AgentProcess {
 public:
  /// `config_yaml` is written to <dir>/dockgate.yaml.
  AgentProcess(const TempDir& dir, const std::string& config_yaml);
  ~AgentProcess();
  void start();
  /// SIGKILL: no shutdown work.
  void kill();
  /// SIGTERM; returns how it ended and how long it took.
  ExitStatus terminate(std::chrono::milliseconds* took = nullptr);
  [[nodiscard]] bool running();
  /// The agent's process id while it runs (for /proc figures), -1 before the first start().
  [[nodiscard]] pid_t pid() const { return process_ ? process_->pid() : -1; }
  /// Replaces the config file (the agent reads it again on reload()).
  void rewrite_config(const std::string& config_yaml);
  /// SIGHUP, as `systemctl reload dockgate` sends it.
  void reload();
  [[nodiscard]] const std::string& config_path() const { return config_path_; }
  [[nodiscard]] std::string log() const;
  /// `dockgate status --config ... --json`, parsed; throws when it fails.
  [[nodiscard]] nlohmann::json status() const;
  /// Waits until status().lastGatewaySeq >= seq; false on timeout.
  bool wait_committed(std::uint64_t seq, std::chrono::milliseconds timeout) const;
  /// Waits until the agent's log, since the last start(), contains `text` (e.g.
  /// "device door03-serial up");
  /// false on timeout. Cheaper and less load-sensitive than polling status().
  bool wait_log(const std::string& text, std::chrono::milliseconds timeout) const;

 private:
  std::string config_path_;
  std::string log_path_;
  std::size_t log_start_ = 0;  ///< log size at the last start(): wait_log looks after it
  std::unique_ptr<Subprocess> process_;
};

/// Runs a command to completion and returns its exit status and combined output.
struct RunResult {
  ExitStatus status;
  std::string output;
};
RunResult run_dockgate(const std::vector<std::string>& args, const TempDir& dir);

}  // namespace dockgate::test

// SPDX-License-Identifier: Apache-2.0
#include "tests/integration/agent_harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "tests/support/net.hpp"

namespace dockgate::test {
namespace {

void write_all(int fd, const std::string& bytes) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + off, bytes.size() - off);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      throw std::runtime_error(std::string("write failed: ") + std::strerror(errno));
    }
    off += static_cast<std::size_t>(n);
  }
}

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

}  // namespace

std::string dockgate_binary() {
  return std::string(DOCKGATE_BINARY_DIR) + "/dockgate";
}

PtyPair::PtyPair(const std::string& dir, const std::string& name)
    : dir_(dir), device_(dir + "/" + name), sim_(dir + "/" + name + "-sim") {}

PtyPair::~PtyPair() {
  unplug();
}

void PtyPair::start() {
  unplug();
  socat_ = std::make_unique<Subprocess>(
      SpawnOptions{{"socat", "pty,raw,echo=0,link=" + device_, "pty,raw,echo=0,link=" + sim_},
                   {},
                   "",
                   "",
                   dir_ + "/socat.log"});
  for (int i = 0; i < 200; ++i) {
    if (std::filesystem::exists(device_) && std::filesystem::exists(sim_)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  sim_fd_ = ::open(sim_.c_str(), O_WRONLY | O_NOCTTY);
  if (sim_fd_ < 0) throw std::runtime_error("cannot open " + sim_);
}

void PtyPair::unplug() {
  if (sim_fd_ >= 0) ::close(sim_fd_);
  sim_fd_ = -1;
  if (socat_) socat_->kill();
  socat_.reset();
}

void PtyPair::write(const std::string& bytes) {
  write_all(sim_fd_, bytes);
}

TcpScanner::TcpScanner(std::uint16_t port, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    auto a = loopback(port);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return;
    ::close(fd_);
    fd_ = -1;
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

TcpScanner::~TcpScanner() {
  if (fd_ >= 0) ::close(fd_);
}

void TcpScanner::send(const std::string& bytes) {
  write_all(fd_, bytes);
}

TcpScannerServer::TcpScannerServer() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  auto a = loopback(0);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::listen(listen_fd_, 4) != 0) {
    throw std::runtime_error("cannot listen on 127.0.0.1");
  }
  socklen_t len = sizeof a;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
}

TcpScannerServer::~TcpScannerServer() {
  if (conn_fd_ >= 0) ::close(conn_fd_);
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

void TcpScannerServer::send(const std::string& bytes) {
  if (conn_fd_ < 0) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 5000) != 1) throw std::runtime_error("agent did not connect to scanner");
    conn_fd_ = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  }
  write_all(conn_fd_, bytes);
}

AgentProcess::AgentProcess(const TempDir& dir, const std::string& config_yaml)
    : config_path_(dir.file("dockgate.yaml")), log_path_(dir.file("agent.log")) {
  write_file(config_path_, config_yaml);
}

void AgentProcess::rewrite_config(const std::string& config_yaml) {
  // Write, then rename: the agent never reads a half-written file.
  write_file(config_path_ + ".new", config_yaml);
  std::filesystem::rename(config_path_ + ".new", config_path_);
}

void AgentProcess::reload() {
  process_->signal(SIGHUP);
}

AgentProcess::~AgentProcess() {
  if (process_) process_->kill();
}

void AgentProcess::start() {
  std::error_code ec;
  const auto size = std::filesystem::file_size(log_path_, ec);
  log_start_ = ec ? 0 : static_cast<std::size_t>(size);
  process_ = std::make_unique<Subprocess>(SpawnOptions{
      {dockgate_binary(), "run", "--config", config_path_}, {}, "", log_path_, log_path_});
}

void AgentProcess::kill() {
  if (process_) process_->kill();
}

ExitStatus AgentProcess::terminate(std::chrono::milliseconds* took) {
  const auto t0 = std::chrono::steady_clock::now();
  ExitStatus st = process_->terminate(std::chrono::seconds(10));
  if (took != nullptr) {
    *took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  t0);
  }
  return st;
}

bool AgentProcess::running() {
  return process_ && process_->running();
}

std::string AgentProcess::log() const {
  return read_file(log_path_);
}

nlohmann::json AgentProcess::status() const {
  TempDir out("dockgate-status");
  Subprocess p(SpawnOptions{{dockgate_binary(), "status", "--config", config_path_, "--json"},
                            {},
                            "",
                            out.file("out"),
                            out.file("err")});
  auto st = p.wait_for(std::chrono::seconds(10));
  if (!st || !st->success()) {
    throw std::runtime_error("dockgate status failed: " + read_file(out.file("err")));
  }
  return nlohmann::json::parse(read_file(out.file("out")));
}

bool AgentProcess::wait_committed(std::uint64_t seq, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      if (status()["lastGatewaySeq"].get<std::uint64_t>() >= seq) return true;
    } catch (const std::exception&) {
      // The database may not exist yet right after start.
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

bool AgentProcess::wait_log(const std::string& text, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string all = log();
    if (all.size() > log_start_ && all.find(text, log_start_) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

RunResult run_dockgate(const std::vector<std::string>& args, const TempDir& dir) {
  std::vector<std::string> argv{dockgate_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string out = dir.file("run-output.txt");
  std::filesystem::remove(out);
  Subprocess p(SpawnOptions{argv, {}, "", out, out});
  auto st = p.wait_for(std::chrono::seconds(20));
  if (!st) throw std::runtime_error("dockgate did not finish");
  return {*st, read_file(out)};
}

}  // namespace dockgate::test

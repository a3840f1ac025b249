// SPDX-License-Identifier: Apache-2.0
// A network scanner that keeps scanning whatever happens to the agent: a background thread
// sends one SSCC frame every `interval` to a tcp_scanner in server mode and, when the agent
// is gone (killed, restarting), reconnects every 20 ms and goes on with the next number.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "tests/integration/sscc.hpp"

namespace dockgate::test {

class ScanFeeder {
 public:
  /// Starts sending "]C100<SSCC of n>\r\n" for n = first, first+1, ... to 127.0.0.1:port.
  ScanFeeder(std::uint16_t port, std::chrono::microseconds interval, unsigned first = 0)
      : port_(port), interval_(interval), next_(first) {
    thread_ = std::thread([this] { run(); });
  }
  ~ScanFeeder() { stop(); }
  ScanFeeder(const ScanFeeder&) = delete;
  ScanFeeder& operator=(const ScanFeeder&) = delete;

  /// Stops sending and joins the thread. Idempotent.
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  /// Frames written into a connected socket so far (some may die with a killed agent
  /// before it commits them: only what it committed counts as accepted).
  [[nodiscard]] unsigned sent() const { return sent_; }

 private:
  void run() {
    int fd = -1;
    auto next_at = std::chrono::steady_clock::now();
    while (!stop_) {
      if (fd < 0) fd = connect_once();
      if (fd < 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        continue;
      }
      const std::string frame = "]C100" + sscc(next_) + "\r\n";
      if (::send(fd, frame.data(), frame.size(), MSG_NOSIGNAL) !=
          static_cast<ssize_t>(frame.size())) {
        ::close(fd);
        fd = -1;
        continue;
      }
      ++next_;
      ++sent_;
      next_at += interval_;
      std::this_thread::sleep_until(next_at);
      next_at = std::max(next_at, std::chrono::steady_clock::now() - interval_);
    }
    if (fd >= 0) ::close(fd);
  }

  [[nodiscard]] int connect_once() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port_);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) return fd;
    ::close(fd);
    return -1;
  }

  std::uint16_t port_;
  std::chrono::microseconds interval_;
  unsigned next_;
  std::atomic<unsigned> sent_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace dockgate::test

// SPDX-License-Identifier: Apache-2.0
// Memory after bursts: the real `dockgate` binary (tcp_scanner server, buffer.sync full,
// broker up) gets --floods floods of --scans scans each at --rate scans/s over one TCP
// connection. After each flood it waits until every scan is committed and PUBACKed
// (backlog 0) and --settle-ms more, then samples the agent's resident memory (VmRSS) and
// its peak (VmHWM). What a gateway should show: RSS back near the idle figure after each
// burst, and a peak bounded by the queues between drivers and the outbox, not by the
// burst's size.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "bench/bench_agent.hpp"
#include "bench/proc_stats.hpp"
#include "bench/scan_load.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/net.hpp"
#include "tests/support/temp_dir.hpp"

namespace dockgate::bench {
namespace {

using namespace std::chrono_literals;

struct Options {
  unsigned floods = 5;
  unsigned scans = 500'000;
  unsigned rate = 50'000;
  unsigned settle_ms = 3'000;
};

int connect_loopback(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot connect to the agent's scanner port");
  }
  return fd;
}

/// Sends `count` frames from serial `first` at `rate` per second, in 10 ms slices.
void flood(std::uint16_t port, std::uint64_t first, unsigned count, unsigned rate) {
  const int fd = connect_loopback(port);
  const unsigned per_slice = std::max(1U, rate / 100);
  auto next = std::chrono::steady_clock::now();
  for (unsigned done = 0; done < count;) {
    const unsigned n = std::min(per_slice, count - done);
    const std::string chunk = scan_frames(first + done, n);
    for (std::size_t off = 0; off < chunk.size();) {
      const ssize_t w = ::send(fd, chunk.data() + off, chunk.size() - off, MSG_NOSIGNAL);
      if (w <= 0) throw std::runtime_error("the agent closed the scanner connection");
      off += static_cast<std::size_t>(w);
    }
    done += n;
    next += 10ms;
    std::this_thread::sleep_until(next);
  }
  ::close(fd);
}

std::uint64_t as_u64(const nlohmann::json& status, const char* key) {
  return status.contains(key) && status[key].is_number() ? status[key].get<std::uint64_t>() : 0;
}

int run(const Options& o) {
  test::TempDir dir("dockgate-burst");
  test::MosquittoBroker broker;
  BenchAgentConfig cfg;
  cfg.broker_port = broker.port();
  cfg.scanner_port = test::free_tcp_port();
  cfg.db_path = dir.file("outbox.db");
  BenchAgent agent(dir, cfg);
  agent.start();
  if (!test::wait_for_port(cfg.scanner_port, 10s)) throw std::runtime_error(agent.log());
  std::this_thread::sleep_for(2s);
  const auto idle = memory_of(agent.pid());
  std::cout << "floods " << o.floods << " x " << o.scans << " scans at " << o.rate
            << " scans/s; settle " << o.settle_ms << " ms after backlog 0\n";
  std::cout << "idle: rss " << static_cast<double>(idle.rss_kib) / 1024.0 << " MiB\n";
  std::cout << "flood  committed  rejected  seconds_to_backlog_0  rss_after_MiB  peak_so_far_MiB"
            << std::endl;

  std::uint64_t sent = 0;
  for (unsigned f = 1; f <= o.floods; ++f) {
    const auto t0 = std::chrono::steady_clock::now();
    flood(cfg.scanner_port, sent, o.scans, o.rate);
    sent += o.scans;
    nlohmann::json st;
    for (;;) {  // every scan committed and PUBACKed, or rejected (counted)
      st = agent.status();
      if (as_u64(st, "lastGatewaySeq") + as_u64(st, "rejectedTotal") >= sent &&
          as_u64(st, "backlogCount") == 0) {
        break;
      }
      if (!agent.running()) throw std::runtime_error("agent died: " + agent.log());
      std::this_thread::sleep_for(100ms);
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(o.settle_ms));
    const auto m = memory_of(agent.pid());
    std::cout << f << "      " << as_u64(st, "lastGatewaySeq") << "  "
              << as_u64(st, "rejectedTotal") << "    " << secs << "    "
              << static_cast<double>(m.rss_kib) / 1024.0 << "    "
              << static_cast<double>(m.hwm_kib) / 1024.0 << std::endl;
  }
  std::cout << "stop: " << agent.stop() << "\n";
  return 0;
}

}  // namespace
}  // namespace dockgate::bench

int main(int argc, char** argv) {
  dockgate::bench::Options o;
  CLI::App app{"dockgate memory after scan bursts"};
  app.add_option("--floods", o.floods, "number of floods");
  app.add_option("--scans", o.scans, "scans per flood");
  app.add_option("--rate", o.rate, "scans per second within a flood");
  app.add_option("--settle-ms", o.settle_ms, "wait after backlog 0 before sampling, ms");
  CLI11_PARSE(app, argc, argv);
  try {
    return dockgate::bench::run(o);
  } catch (const std::exception& e) {
    std::cerr << "burst_memory_bench: " << e.what() << "\n";
    return 1;
  }
}

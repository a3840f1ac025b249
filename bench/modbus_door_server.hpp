// SPDX-License-Identifier: Apache-2.0
// The Modbus TCP side of bench/modbus_bench: one TCP-to-RTU gateway on 127.0.0.1 with a dock
// door I/O module behind each unit id 1..N (trailer present = discrete input 0, door open =
// discrete input 1). A libmodbus server (modbus_receive / modbus_reply) on its own thread
// answers every request at once. It counts read requests per unit id (the door-polls) and
// remembers, after each change of an input, when that unit was first read again: the moment
// the poller could first see the change.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

// libmodbus' own type names, declared here to keep <modbus.h> out of this header.
struct _modbus;            // NOLINT(bugprone-reserved-identifier)
struct _modbus_mapping_t;  // NOLINT(bugprone-reserved-identifier)

namespace dockgate::bench {

class ModbusDoorServer {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int kMaxUnit = 247;  ///< Modbus serial address range 1..247

  /// Listens on 127.0.0.1:`port` and serves on a thread. Every unit id has 8 discrete
  /// inputs, 8 coils, 8 holding and 8 input registers, all 0 at the start. Throws
  /// std::runtime_error when it cannot listen.
  explicit ModbusDoorServer(std::uint16_t port);
  /// Closes the listener and every connection, joins the thread. Never throws.
  ~ModbusDoorServer();
  ModbusDoorServer(const ModbusDoorServer&) = delete;
  ModbusDoorServer& operator=(const ModbusDoorServer&) = delete;

  /// Sets discrete input `address` (0..7) of `unit` (1..kMaxUnit) and returns the time of the
  /// change (taken while the table is locked: no reply can carry the new value before it).
  /// Throws std::out_of_range for a bad unit or address.
  Clock::time_point set_discrete_input(int unit, int address, bool value);
  /// When `unit` was first read after the last set_discrete_input() on it; nullopt-like
  /// Clock::time_point{} while it has not been read since.
  [[nodiscard]] Clock::time_point first_read_after_change(int unit);

  /// Read requests (function codes 1-4) for `unit` since construction.
  [[nodiscard]] std::uint64_t reads(int unit) const;
  /// Read requests for all units since construction.
  [[nodiscard]] std::uint64_t reads_total() const { return reads_total_.load(); }
  /// Requests that were not reads (writes, unknown function codes) since construction.
  [[nodiscard]] std::uint64_t other_requests() const { return other_requests_.load(); }
  /// TCP connections accepted since construction.
  [[nodiscard]] std::uint64_t connections() const { return connections_.load(); }

 private:
  void serve();
  _modbus_mapping_t* mapping(int unit);  // with mutex_ held; nullptr when out of memory

  std::uint16_t port_;
  _modbus* ctx_ = nullptr;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::thread thread_;
  std::mutex mutex_;  // guards mappings_, changed_, read_after_
  std::map<int, _modbus_mapping_t*> mappings_;
  std::array<bool, kMaxUnit + 1> changed_{};
  std::array<Clock::time_point, kMaxUnit + 1> read_after_{};
  std::array<std::atomic<std::uint64_t>, kMaxUnit + 1> reads_{};
  std::atomic<std::uint64_t> reads_total_{0};
  std::atomic<std::uint64_t> other_requests_{0};
  std::atomic<std::uint64_t> connections_{0};
};

}  // namespace dockgate::bench

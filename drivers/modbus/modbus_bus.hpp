// SPDX-License-Identifier: Apache-2.0
// One Modbus bus (a TCP connection or an RTU serial line) shared by the doors on it: one
// worker thread owns the libmodbus context, polls each door's unit in turn and writes the
// signal-tower coils. The worker sleeps on a condition variable between requests and wakes
// early for pulses, attach/detach and shutdown; it never spins.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "drivers/common/backoff.hpp"
#include "drivers/modbus/door_link.hpp"
#include "drivers/modbus/modbus_bus_options.hpp"
#include "drivers/modbus/modbus_link.hpp"

namespace dockgate::drivers {

class ModbusBus {
 public:
  explicit ModbusBus(ModbusBusOptions options);
  /// shutdown(). Never throws.
  ~ModbusBus();
  ModbusBus(const ModbusBus&) = delete;
  ModbusBus& operator=(const ModbusBus&) = delete;

  [[nodiscard]] const ModbusBusOptions& options() const { return options_; }

  /// Adds a door (polled at once when connected; told the last failure at once when down).
  /// Starts the worker on the first call.
  void attach(std::shared_ptr<DoorLink> door);
  /// Stops polling `door` and switches off its pulsed coils soon. Returns the doors left.
  std::size_t detach(const std::shared_ptr<DoorLink>& door);
  /// Switches `coil` at the door's unit on now and off after `length` (a new pulse on a coil
  /// that is on extends it). Returns false, dropping the request, while the bus is down.
  bool pulse(const DoorLink& door, std::uint16_t coil, std::chrono::milliseconds length);
  /// Ends a pulse (or hold) of `coil` at the door's unit now: the coil is switched off soon.
  /// Nothing happens when it is not on.
  void release(const DoorLink& door, std::uint16_t coil);
  /// Stops the worker: the request in flight finishes (at most about response_timeout),
  /// coils still pulsed are switched off if connected (a device that stops answering costs
  /// one more response_timeout), the connection is closed. Idempotent.
  void shutdown();

 private:
  using Clock = std::chrono::steady_clock;
  struct Door {
    std::shared_ptr<DoorLink> link;
    Clock::time_point next_poll;
    Backoff retry;  ///< spacing of retries while the door answers with errors
  };
  struct Coil {
    int unit = 0;
    std::uint16_t address = 0;
    bool operator<(const Coil& o) const {
      return unit != o.unit ? unit < o.unit : address < o.address;
    }
    bool operator==(const Coil& o) const { return unit == o.unit && address == o.address; }
  };

  void run();
  void step(std::unique_lock<std::mutex>& lock);
  void connect(std::unique_lock<std::mutex>& lock);
  void poll(std::unique_lock<std::mutex>& lock, const std::shared_ptr<DoorLink>& door);
  bool write_next(std::unique_lock<std::mutex>& lock, Clock::time_point now);
  void write(std::unique_lock<std::mutex>& lock, Coil coil, bool on);
  void bus_down(std::unique_lock<std::mutex>& lock, const std::string& detail);
  [[nodiscard]] bool takes_bus_down(const LinkFailure& failure) const;
  [[nodiscard]] std::string what_failed(const LinkFailure& failure) const;
  void switch_all_off(std::unique_lock<std::mutex>& lock);
  Door* find(const DoorLink* link);

  const ModbusBusOptions options_;
  const std::string uri_;

  std::mutex mutex_;  // guards everything below except the worker-only part
  std::condition_variable wake_;
  bool stopping_ = false;
  bool kick_ = false;  ///< attach / detach / pulse since the worker last planned
  bool connected_ = false;
  bool wrote_last_ = false;  ///< the last request was a write: a due poll goes next
  std::string down_detail_;  ///< last bus failure while not connected
  std::vector<Door> doors_;
  std::map<Coil, Clock::time_point> pulsing_;  ///< coil -> when to switch it off
  std::deque<Coil> switch_on_;
  std::thread worker_;

  // Worker thread only.
  ModbusLink link_;
  Backoff reconnect_;
  Clock::time_point next_connect_{};
};

}  // namespace dockgate::drivers

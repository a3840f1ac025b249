// SPDX-License-Identifier: Apache-2.0
// The hand-over between a bus worker thread and one door driver: what the bus needs to poll
// the door, and a thread-safe way to post poll results to the door's io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "drivers/modbus/read_plan.hpp"

namespace dockgate::drivers {

/// The outcome of one poll of a door (or of a bus failure, which every door gets).
struct PollResult {
  bool ok = false;
  std::vector<bool> values;                  ///< ok: point values (after invert), point order
  std::chrono::steady_clock::time_point at;  ///< when the read completed (or failed)
  std::int64_t time_ms = 0;                  ///< the same instant, UTC ms
  std::string detail;                        ///< !ok: why, ready for DeviceStatus::detail
  /// !ok because the unit answered with a Modbus exception: its code (1..11), else 0.
  /// The device is reachable then; only this request was refused.
  int exception_code = 0;
};

/// A signal-tower coil write that did not happen (the tower shows nothing).
struct WriteFailure {
  std::uint16_t coil = 0;
  bool on = false;           ///< the write switched on (true) or off
  int exception_code = 0;    ///< Modbus exception code, 0 for other failures
  std::string detail;        ///< e.g. "illegal data address: write coil 10 on at unit 1 (...)"
  std::int64_t time_ms = 0;  ///< UTC ms
};

/// Implemented by the door driver; called on its io_context thread only.
class DoorReceiver {
 public:
  virtual ~DoorReceiver() = default;
  virtual void on_poll(PollResult result) = 0;
  virtual void on_write_failed(WriteFailure failure) = 0;
};

/// What the bus polls for a door.
struct DoorSpec {
  int unit = 1;   ///< Modbus unit id
  ReadPlan plan;  ///< the requests and how values are extracted
  std::chrono::milliseconds poll_interval{200};
  std::vector<std::uint16_t> coils;  ///< configured output coils (switched off on stop)
};

class DoorLink {
 public:
  DoorLink(boost::asio::io_context& io, std::weak_ptr<DoorReceiver> receiver, DoorSpec spec)
      : io_(&io), receiver_(std::move(receiver)), spec_(std::move(spec)) {}

  [[nodiscard]] const DoorSpec& spec() const { return spec_; }

  /// Posts `result` to the receiver on its io_context. Any thread; a no-op after detach().
  void deliver(PollResult result);
  /// Posts a failed coil write of this door to the receiver. Any thread; no-op after detach().
  void deliver(WriteFailure failure);

  /// After this returns nothing more is posted, so the io_context and the receiver may go.
  void detach();

 private:
  std::mutex mutex_;
  boost::asio::io_context* io_;  ///< null once detached
  std::weak_ptr<DoorReceiver> receiver_;
  const DoorSpec spec_;
};

}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
// The shape every driver here has: the driver object the agent owns forwards to a session
// object that pending I/O handlers share (std::shared_ptr), so a handler that completes after
// the driver is gone finds its state alive and does nothing.
#pragma once

#include <memory>
#include <utility>

#include "drivers/driver.hpp"

namespace dockgate::drivers {

/// The shared part of a driver. Io thread only (like Driver).
class DriverSession {
 public:
  virtual ~DriverSession() = default;
  virtual void start() = 0;
  /// Stops I/O and timers. `report`: tell the sink the device is down ("stopped") when it
  /// was up; false from the driver's destructor (the owner called Driver::stop() before).
  virtual void stop(bool report) = 0;
  /// See Driver::feedback; ignored by sessions without outputs.
  virtual void feedback(const Feedback& /*request*/) {}
};

/// A Driver that forwards start/stop/feedback to its session and stops it, silently, when
/// destroyed.
class SessionDriver : public Driver {
 public:
  ~SessionDriver() override { session_->stop(false); }
  SessionDriver(const SessionDriver&) = delete;
  SessionDriver& operator=(const SessionDriver&) = delete;

  void start() override { session_->start(); }
  void stop() override { session_->stop(true); }
  void feedback(const Feedback& request) override { session_->feedback(request); }

 protected:
  explicit SessionDriver(std::shared_ptr<DriverSession> session) : session_(std::move(session)) {}
  /// The session as its concrete type (for driver-specific queries such as counters).
  template <class Session>
  Session& session_as() const {
    return static_cast<Session&>(*session_);
  }

 private:
  std::shared_ptr<DriverSession> session_;
};

}  // namespace dockgate::drivers

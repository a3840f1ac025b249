// SPDX-License-Identifier: Apache-2.0
// `type: tcp_scanner`, `mode: client`: dockgate connects to a network scanner that listens
// on host:port and sends one scan per line.
#pragma once

#include <memory>

#include "drivers/common/session_driver.hpp"
#include "drivers/tcp_scanner/tcp_options.hpp"

namespace dockgate::drivers {

/// Resolves and connects (connect_timeout per attempt), enables TCP keepalive, frames lines
/// and reports each frame. On connect failure or connection loss it reports the device down
/// and reconnects with exponential backoff plus jitter (reconnect_min .. reconnect_max);
/// reports up with "connected to host:port (ip:port)". Single-threaded io_context assumed.
class TcpClientScanner final : public SessionDriver {
 public:
  TcpClientScanner(const DriverContext& context, TcpOptions options);
  // Destroying it: Closes the connection without reporting to the sink (the owner calls stop()
  // first). stop(): Closes the connection, cancels timers; reports down ("stopped") if it was up.

 private:
  class Session;  // state shared with pending handlers, so they outlive a destroyed driver
};

}  // namespace dockgate::drivers

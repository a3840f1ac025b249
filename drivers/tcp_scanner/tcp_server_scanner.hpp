// SPDX-License-Identifier: Apache-2.0
// `type: tcp_scanner`, `mode: server`: network scanners connect to dockgate on bind:port and
// send one scan per line. Several scanners (connections) may feed one driver.
#pragma once

#include <memory>

#include "drivers/common/session_driver.hpp"
#include "drivers/tcp_scanner/tcp_options.hpp"

namespace dockgate::drivers {

/// Listens on bind:port (SO_REUSEADDR); each accepted connection gets its own LineFramer and
/// TCP keepalive. Every read carries the driver's id and location, whichever connection it
/// came from.
///
/// Slots: a connection silent for idle_timeout is closed ("idle for 300000 ms"). A new
/// connection at max_connections evicts the connection quiet the longest (at least
/// evict_min_idle, no partial frame), reported as a ReadError "connection_evicted"; when none
/// qualifies the new one is closed and reported as a ReadError "connection_refused". Both
/// become exception events, so a locked-out scanner is never silent.
///
/// Device status: the driver is "up" while at least one scanner is connected. Each connect
/// and disconnect reports a DeviceStatus whose detail names the peer, e.g.
/// "peer 10.0.0.7:40112 connected (1 connected)" or
/// "peer 10.0.0.7:40112 disconnected: End of file (0 connected)". Listening with no
/// scanner reports down ("listening on 0.0.0.0:5555, no scanner connected"); a failed
/// bind reports down and is retried with backoff (reconnect_min .. reconnect_max).
class TcpServerScanner final : public SessionDriver {
 public:
  TcpServerScanner(const DriverContext& context, TcpOptions options);
  // Destroying it: Closes everything without reporting to the sink (the owner calls stop() first).
  // stop(): Closes the listener and every connection; reports down ("stopped") if any was
  // connected.

 private:
  class Session;  // state shared with pending handlers, so they outlive a destroyed driver
};

}  // namespace dockgate::drivers

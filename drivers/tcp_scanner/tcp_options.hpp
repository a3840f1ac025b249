// SPDX-License-Identifier: Apache-2.0
// Settings of a `type: tcp_scanner` driver and their config keys.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "config/map_reader.hpp"
#include "drivers/framing/framing_options.hpp"

namespace dockgate::drivers {

enum class TcpMode {
  client,  ///< dockgate connects to the scanner (scanner is a TCP server)
  server,  ///< scanners connect to dockgate (scanner is a TCP client)
};

/// One network scanner endpoint (fixed-mount scanners, serial-to-Ethernet converters).
struct TcpOptions {
  TcpMode mode = TcpMode::client;
  std::string host;                                  ///< client: scanner host name or IP address
  std::uint16_t port = 0;                            ///< client: scanner port; server: listen port
  std::string bind = "0.0.0.0";                      ///< server: local address to listen on
  std::uint32_t max_connections = 16;                ///< server: concurrent scanner connections
  std::chrono::milliseconds connect_timeout{5'000};  ///< client: per connect attempt
  /// Server: a connection that sends nothing for this long is closed (0 = never).
  std::chrono::milliseconds idle_timeout{300'000};
  /// Server: at max_connections, a new connection evicts the longest-quiet one if that one
  /// has been quiet at least this long and holds no partial frame; otherwise the new one is
  /// refused. Not a config key (tests shorten it).
  std::chrono::milliseconds evict_min_idle{1'000};
  /// Client: first reconnect delay (doubles, with jitter, up to reconnect_max).
  /// Server: retry delay for a failed bind (port in use).
  std::chrono::milliseconds reconnect_min{500};
  std::chrono::milliseconds reconnect_max{30'000};
  FramingOptions framing;
};

/// Upper bound of `max_connections`.
inline constexpr std::uint32_t kMaxTcpConnections = 1024;

/// Reads the driver's keys (mode, host, port, bind, max_connections, idle_timeout,
/// connect_timeout,
/// reconnect_min, reconnect_max, framing keys) into `out`. Keys of the other mode are
/// errors. Errors go to the reader's context with file/line/column/key path. Returns false
/// when any key was missing or invalid.
bool read_tcp_options(config::MapReader& keys, TcpOptions& out);

}  // namespace dockgate::drivers

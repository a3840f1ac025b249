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
  /// Client: first reconnect delay (doubles, with jitter, up to reconnect_max).
  /// Server: retry delay for a failed bind (port in use).
  std::chrono::milliseconds reconnect_min{500};
  std::chrono::milliseconds reconnect_max{30'000};
  FramingOptions framing;
};

/// Upper bound of `max_connections`.
inline constexpr std::uint32_t kMaxTcpConnections = 1024;

/// Reads the driver's keys (mode, host, port, bind, max_connections, connect_timeout,
/// reconnect_min, reconnect_max, framing keys) into `out`. Keys of the other mode are
/// errors. Errors go to the reader's context with file/line/column/key path. Returns false
/// when any key was missing or invalid.
bool read_tcp_options(config::MapReader& keys, TcpOptions& out);

}  // namespace dockgate::drivers

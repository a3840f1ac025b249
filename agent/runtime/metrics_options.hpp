// SPDX-License-Identifier: Apache-2.0
// Settings of the metrics endpoint (config section `metrics:`, keys and help text in
// config/metrics_sections.cpp).
#pragma once

#include <arpa/inet.h>

#include <charconv>
#include <cstdint>
#include <string>

namespace dockgate::runtime {

struct MetricsOptions {
  /// "address:port" to serve GET /metrics on (Prometheus text format); "" = no endpoint.
  /// IPv6 in brackets: "[::1]:9464". Loopback only by default: a scraper elsewhere needs
  /// the operator to open it on purpose.
  std::string listen = "127.0.0.1:9464";
};

/// An IP literal and a port, parsed from MetricsOptions::listen.
struct ListenAddress {
  std::string host;  ///< IPv4 or IPv6 literal without brackets
  std::uint16_t port = 0;
};

/// Parses "a.b.c.d:port" or "[v6]:port" (port 1-65535; host names are refused: the daemon
/// must not depend on DNS to start). Returns "" and fills `out`, or an error message.
inline std::string parse_listen_address(const std::string& text, ListenAddress& out) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) {
    return "expected address:port, e.g. 127.0.0.1:9464 or [::1]:9464";
  }
  std::string host = text.substr(0, colon);
  const std::string port = text.substr(colon + 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
    return "port '" + port + "' is not a number from 1 to 65535";
  }
  bool v6 = false;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    v6 = true;
  }
  unsigned char buf[16];
  const bool ok =
      v6 ? inet_pton(AF_INET6, host.c_str(), buf) == 1 : inet_pton(AF_INET, host.c_str(), buf) == 1;
  if (!ok) {
    return "'" + host + "' is not an IPv4 address or a bracketed IPv6 address (host names " +
           "are not resolved)";
  }
  out.host = host;
  out.port = static_cast<std::uint16_t>(value);
  return "";
}

}  // namespace dockgate::runtime

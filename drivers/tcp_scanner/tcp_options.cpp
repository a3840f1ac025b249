// SPDX-License-Identifier: Apache-2.0
#include "drivers/tcp_scanner/tcp_options.hpp"

#include <boost/asio/ip/address.hpp>

namespace dockgate::drivers {
namespace {

// The key is declared for both modes (docs, unknown-key check) but only valid in one.
bool reject_in_mode(config::MapReader& keys, const char* key, const char* other_mode) {
  if (!keys.has(key)) return true;
  keys.error(key, std::string("only used with mode: ") + other_mode);
  return false;
}

bool read_delay(config::MapReader& keys, const char* key, std::chrono::milliseconds& out,
                const char* help) {
  const bool read = keys.duration(key, out, help);
  if (!read) return !keys.has(key);
  if (out.count() <= 0) {
    keys.error(key, "must be greater than 0");
    return false;
  }
  return true;
}

}  // namespace

bool read_tcp_options(config::MapReader& keys, TcpOptions& out) {
  bool ok = true;
  std::string mode = "client";
  const bool mode_ok =
      keys.choice("mode", mode, {"client", "server"},
                  "client: dockgate connects to the scanner at host:port; server: scanners "
                  "connect to dockgate on bind:port.",
                  true);
  ok &= mode_ok;
  out.mode = mode == "server" ? TcpMode::server : TcpMode::client;

  const bool have_host =
      keys.optional("host", out.host, "mode client: scanner host name or IP address (required).");
  if (!have_host && keys.has("host")) ok = false;

  ok &= keys.integer<std::uint16_t>(
      "port", out.port, 1, 65535,
      "mode client: the scanner's TCP port; mode server: the port to listen on.", true);

  const bool have_bind = keys.optional("bind", out.bind,
                                       "mode server: local IP address to listen on (0.0.0.0 = "
                                       "all IPv4 interfaces, :: = all interfaces).");
  if (have_bind) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(out.bind, ec);
    if (ec) {
      keys.error("bind", "not an IP address: '" + out.bind + "'");
      ok = false;
    }
  } else if (keys.has("bind")) {
    ok = false;
  }

  if (!keys.integer<std::uint32_t>(
          "max_connections", out.max_connections, 1, kMaxTcpConnections,
          "mode server: most scanner connections at once; at the limit a new connection "
          "evicts the longest-idle one, or is refused (both are exception events).") &&
      keys.has("max_connections")) {
    ok = false;
  }

  if (keys.duration("idle_timeout", out.idle_timeout,
                    "mode server: close a scanner connection that sent nothing for this long "
                    "(0 = never). Frees the slots of scanners that vanished without a FIN.")) {
    if (out.idle_timeout.count() < 0) {
      keys.error("idle_timeout", "must not be negative");
      ok = false;
    }
  } else if (keys.has("idle_timeout")) {
    ok = false;
  }

  ok &= read_delay(keys, "connect_timeout", out.connect_timeout,
                   "mode client: give up a connect attempt after this long.");
  ok &= read_delay(keys, "reconnect_min", out.reconnect_min,
                   "First delay before reconnecting (client) or retrying a failed listen "
                   "(server); doubles with jitter after each failure up to reconnect_max.");
  ok &= read_delay(keys, "reconnect_max", out.reconnect_max,
                   "Longest delay between reconnect attempts.");
  if (out.reconnect_max < out.reconnect_min) {
    keys.error(keys.has("reconnect_max") ? "reconnect_max" : "reconnect_min",
               "reconnect_max must not be less than reconnect_min");
    ok = false;
  }

  ok &= read_framing_options(keys, out.framing);

  if (!mode_ok) return false;  // mode-specific checks would only add noise
  if (out.mode == TcpMode::client) {
    if (!have_host && !keys.has("host")) {
      keys.error("host", "missing required key 'host' (mode client)");
      ok = false;
    } else if (have_host && out.host.empty()) {
      keys.error("host", "must not be empty");
      ok = false;
    }
    ok &= reject_in_mode(keys, "bind", "server");
    ok &= reject_in_mode(keys, "max_connections", "server");
    ok &= reject_in_mode(keys, "idle_timeout", "server");
  } else {
    ok &= reject_in_mode(keys, "host", "client");
    ok &= reject_in_mode(keys, "connect_timeout", "client");
  }
  return ok;
}

}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
// Broker URI parsing: the config accepts the MQTT-style schemes, Paho wants its own.
#pragma once

#include <cstdint>
#include <string>

namespace dockgate::uplink {

struct BrokerUri {
  std::string scheme;  ///< as configured: tcp | mqtt | ssl | mqtts
  std::string host;    ///< name or address; IPv6 without the brackets
  std::uint16_t port = 0;
  bool tls = false;      ///< ssl:// or mqtts://
  std::string paho_uri;  ///< tcp://host:port or ssl://host:port (explicit port)
};

/// Parses "scheme://host[:port]" with scheme tcp, mqtt (plain, default port 1883), ssl or
/// mqtts (TLS, default port 8883); IPv6 hosts in brackets. mqtt:// maps to tcp:// and
/// mqtts:// to ssl:// in paho_uri. Throws UplinkError naming the problem (unknown scheme,
/// empty host, port not 1..65535, trailing path).
BrokerUri parse_broker_uri(const std::string& uri);

}  // namespace dockgate::uplink

// SPDX-License-Identifier: Apache-2.0
// Names the actual TLS failure. Paho C 1.3.12 reports every failed TLS connect as rc -1, and
// Paho C++ 1.2.0 neither exposes the failure text nor safely takes an SSL error callback
// (pitfalls.md), so after such a failure the uplink checks the files itself and repeats the
// handshake with OpenSSL to learn what went wrong.
#pragma once

#include <chrono>
#include <string>

#include "uplink/broker_uri.hpp"
#include "uplink/mqtt_options.hpp"

namespace dockgate::uplink {

/// Why `path` cannot be read ("" = readable), e.g. "Permission denied" (strerror text).
std::string unreadable_reason(const std::string& path);

/// Local checks of ca_file, cert_file and key_file: readable, PEM that OpenSSL parses, client
/// certificate within its validity period, key matching the certificate. Returns "" when
/// all is well, else one "TLS: ..." sentence, e.g.
/// "TLS: client key /x/y.key not readable: Permission denied" or
/// "TLS: client certificate /x/c.crt expired (notAfter Jan  1 00:00:00 2020 GMT)".
std::string check_tls_files(const MqttOptions& options);

/// A TLS handshake with OpenSSL against `uri` using the same files and rules as the uplink
/// (CA, client certificate, hostname check when options.verify_hostname). Blocks for at most
/// about `timeout` (TCP connect + handshake). Returns "" when the handshake and all checks
/// pass or the broker cannot be reached at all, else one "TLS: ..." sentence, e.g.
/// "TLS: server certificate verify failed: unable to get local issuer certificate",
/// "TLS: hostname mismatch: certificate is for other.example, not 127.0.0.1",
/// "TLS: broker refused the handshake: tlsv13 alert certificate required".
std::string probe_tls(const MqttOptions& options, const BrokerUri& uri,
                      std::chrono::milliseconds timeout);

}  // namespace dockgate::uplink

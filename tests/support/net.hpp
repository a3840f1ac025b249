// SPDX-License-Identifier: Apache-2.0
// Loopback networking helpers for tests (127.0.0.1 only).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace dockgate::test {

/// A TCP port on 127.0.0.1 that was free a moment ago: the kernel picks it (bind to port 0),
/// the socket is closed again. Another process may take it before it is used, which the
/// ephemeral-port allocator makes unlikely. Throws std::runtime_error when no socket can be
/// bound.
std::uint16_t free_tcp_port();

/// True once a TCP connect to 127.0.0.1:`port` succeeds; false after `timeout`. Polls every
/// 10 ms.
bool wait_for_port(std::uint16_t port, std::chrono::milliseconds timeout);

/// True when a TCP connect to 127.0.0.1:`port` succeeds right now.
bool port_accepts(std::uint16_t port);

/// Sends `request` (raw bytes, e.g. "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection:
/// close\r\n\r\n") to 127.0.0.1:`port` and returns everything received until the peer closes
/// or `timeout` passes. Throws std::runtime_error when the connect fails.
std::string tcp_exchange(std::uint16_t port, const std::string& request,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5));

/// GET `path` over HTTP/1.1 with "Connection: close": the whole response (status line,
/// headers, body). Throws std::runtime_error when the connect fails.
std::string http_get(std::uint16_t port, const std::string& path);

/// The body of an HTTP response (after the first blank line); "" when there is none.
std::string http_body(const std::string& response);

}  // namespace dockgate::test

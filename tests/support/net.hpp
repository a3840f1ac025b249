// SPDX-License-Identifier: Apache-2.0
// Loopback networking helpers for tests (127.0.0.1 only).
#pragma once

#include <chrono>
#include <cstdint>

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

}  // namespace dockgate::test

// SPDX-License-Identifier: Apache-2.0
// TCP helpers for scanner connections. Keepalive: a scanner that loses power sends no FIN, so
// without probes a connection would look alive forever.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <string>

namespace dockgate::drivers {

/// Keepalive timing: first probe after kKeepaliveIdleS idle seconds, then every
/// kKeepaliveIntervalS seconds; the connection fails after kKeepaliveProbes unanswered
/// probes (so a dead peer is noticed within about 60 s).
inline constexpr int kKeepaliveIdleS = 30;
inline constexpr int kKeepaliveIntervalS = 10;
inline constexpr int kKeepaliveProbes = 3;

/// Enables SO_KEEPALIVE with the timing above on a connected socket. Returns the first
/// setsockopt error (the connection stays usable without keepalive).
boost::system::error_code enable_keepalive(boost::asio::ip::tcp::socket& socket);

/// "1.2.3.4:5555" or "[::1]:5555" for logs and status details.
std::string to_string(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
#include "drivers/common/tcp_helpers.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

namespace dockgate::drivers {
namespace {

boost::system::error_code set_tcp_option(int fd, int name, int value) {
  if (::setsockopt(fd, IPPROTO_TCP, name, &value, sizeof value) != 0) {
    return {errno, boost::system::system_category()};
  }
  return {};
}

}  // namespace

boost::system::error_code enable_keepalive(boost::asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  socket.set_option(boost::asio::socket_base::keep_alive(true), ec);
  if (ec) return ec;
  const int fd = socket.native_handle();
  if ((ec = set_tcp_option(fd, TCP_KEEPIDLE, kKeepaliveIdleS))) return ec;
  if ((ec = set_tcp_option(fd, TCP_KEEPINTVL, kKeepaliveIntervalS))) return ec;
  return set_tcp_option(fd, TCP_KEEPCNT, kKeepaliveProbes);
}

std::string to_string(const boost::asio::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  std::string host = address.to_string();
  if (address.is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(endpoint.port());
}

}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
// Loopback TCP peers for the tcp_scanner tests, run on the test's io_context.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <string>

namespace dockgate::drivers::test {

/// A port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
inline std::uint16_t free_loopback_port(boost::asio::io_context& io) {
  using boost::asio::ip::tcp;
  tcp::acceptor a(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

/// Plays a scanner that listens (for mode client): accepts one connection and writes to it.
class FakeScannerListener {
 public:
  FakeScannerListener(boost::asio::io_context& io, std::uint16_t port)
      : acceptor_(io), socket_(io) {
    using boost::asio::ip::tcp;
    const tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), port);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    acceptor_.async_accept(socket_,
                           [this](const boost::system::error_code& ec) { accepted_ = !ec; });
  }
  [[nodiscard]] bool accepted() const { return accepted_; }
  /// Blocking write of everything (loopback, small payloads).
  void send(const std::string& bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes)); }
  /// Simulates the scanner going away: closes the connection and stops listening.
  void kill() {
    boost::system::error_code ignored;
    socket_.close(ignored);
    acceptor_.close(ignored);
  }

 private:
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ip::tcp::socket socket_;
  bool accepted_ = false;
};

/// Plays a scanner that connects (for mode server).
class FakeScannerClient {
 public:
  FakeScannerClient(boost::asio::io_context& io, std::uint16_t port) : socket_(io) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }
  void send(const std::string& bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes)); }
  void close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }
  [[nodiscard]] std::string local() const {
    const auto ep = socket_.local_endpoint();
    return ep.address().to_string() + ":" + std::to_string(ep.port());
  }
  boost::asio::ip::tcp::socket& socket() { return socket_; }

 private:
  boost::asio::ip::tcp::socket socket_;
};

}  // namespace dockgate::drivers::test

// SPDX-License-Identifier: Apache-2.0
#include "drivers/tcp_scanner/tcp_server_scanner.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <utility>
#include <vector>

#include "agent/clock.hpp"
#include "drivers/common/backoff.hpp"
#include "drivers/common/read_reporter.hpp"
#include "drivers/common/tcp_helpers.hpp"
#include "drivers/framing/line_framer.hpp"

namespace dockgate::drivers {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

constexpr std::size_t kReadChunkBytes = 1024;

/// One connected scanner: its socket, its own framer (frames never mix across peers).
struct Connection {
  Connection(tcp::socket s, std::string p, const FramingOptions& framing)
      : socket(std::move(s)),
        peer(std::move(p)),
        framer(framing),
        idle_timer(socket.get_executor()),
        last_activity(std::chrono::steady_clock::now()) {}
  tcp::socket socket;
  std::string peer;  ///< "ip:port"
  LineFramer framer;
  asio::steady_timer idle_timer;                        ///< idle_timeout, rearmed on every read
  std::chrono::steady_clock::time_point last_activity;  ///< accept or last byte received
  std::array<char, kReadChunkBytes> buffer{};
};

std::string ms_text(std::chrono::milliseconds d) {
  return std::to_string(d.count()) + " ms";
}

// "0.0.0.0:5555", "[::]:5555"; the raw text when `bind` is not an address (listen() reports it).
std::string describe_endpoint(const std::string& bind, std::uint16_t port) {
  error_code ec;
  const auto address = asio::ip::make_address(bind, ec);
  return ec ? bind + ":" + std::to_string(port) : to_string(tcp::endpoint(address, port));
}

}  // namespace

class TcpServerScanner::Session : public DriverSession,
                                  public std::enable_shared_from_this<Session> {
 public:
  Session(const DriverContext& context, TcpOptions options)
      : reporter_(context.sink, context.id, context.location_id),
        options_(std::move(options)),
        listen_on_(describe_endpoint(options_.bind, options_.port)),
        acceptor_(context.io),
        retry_timer_(context.io),
        backoff_(options_.reconnect_min, options_.reconnect_max, 0.5) {}

  void start() override {
    if (running_) return;
    running_ = true;
    listen();
  }

  void stop(bool report) override {
    if (!running_) return;
    running_ = false;
    retry_timer_.cancel();
    error_code ignored;
    const bool was_listening = acceptor_.is_open();
    acceptor_.close(ignored);
    for (auto& [id, connection] : connections_) {
      connection->idle_timer.cancel();
      connection->socket.close(ignored);
    }
    connections_.clear();
    if (report && was_listening) reporter_.status(false, listen_on_ + ": stopped");
  }

 private:
  void listen() {
    error_code ec;
    const auto address = asio::ip::make_address(options_.bind, ec);
    tcp::endpoint endpoint(address, options_.port);
    std::string step = "listen on";
    if (!ec) acceptor_.open(endpoint.protocol(), ec);
    // SO_REUSEADDR: a restart must not wait for TIME_WAIT connections of the old process.
    if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) {
      step = "bind";
      acceptor_.bind(endpoint, ec);
    }
    if (!ec) {
      step = "listen on";
      acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
      error_code ignored;
      acceptor_.close(ignored);
      const auto delay = backoff_.next();
      const std::string reason = step + " " + listen_on_ + ": " + ec.message();
      if (!bind_failed_) {
        bind_failed_ = true;
        reporter_.status(false, reason + "; retrying");
      }
      spdlog::debug("driver {}: {}; retrying in {} ms", reporter_.driver_id(), reason,
                    delay.count());
      retry_timer_.expires_after(delay);
      retry_timer_.async_wait([self = shared_from_this()](const error_code& wait_ec) {
        if (wait_ec || !self->running_) return;
        self->listen();
      });
      return;
    }
    bind_failed_ = false;
    backoff_.reset();
    // The listener is the device: it is up while it listens. Scanners that connect per scan
    // (common for handhelds) come and go all day; that is reported, but never as "down".
    reporter_.status(true, "listening on " + listen_on_ + ", no scanner connected");
    accept_next();
  }

  void accept_next() {
    acceptor_.async_accept([self = shared_from_this()](const error_code& ec, tcp::socket socket) {
      self->on_accept(ec, std::move(socket));
    });
  }

  void on_accept(const error_code& ec, tcp::socket socket) {
    if (!running_) return;
    if (ec) {
      // EMFILE and friends: keep listening, but do not spin on a persistent error.
      spdlog::warn("driver {}: accept on {}: {}", reporter_.driver_id(), listen_on_, ec.message());
      retry_timer_.expires_after(options_.reconnect_min);
      retry_timer_.async_wait([self = shared_from_this()](const error_code& wait_ec) {
        if (wait_ec || !self->running_) return;
        self->accept_next();
      });
      return;
    }
    error_code peer_ec;
    const auto remote = socket.remote_endpoint(peer_ec);
    const std::string peer = peer_ec ? std::string("unknown peer") : to_string(remote);
    if (connections_.size() >= options_.max_connections && !evict_for(peer)) {
      // Every slot is busy: the new scanner is locked out, which dock staff must see.
      error_code ignored;
      socket.close(ignored);
      const std::string why = "refused connection from " + peer + ": max_connections (" +
                              std::to_string(options_.max_connections) +
                              ") reached and no connection idle for " +
                              ms_text(options_.evict_min_idle);
      reporter_.error("connection_refused", why);
      reporter_.status(true, why + " (" + std::to_string(connections_.size()) + " connected)");
      accept_next();
      return;
    }
    if (auto keepalive_ec = enable_keepalive(socket)) {
      spdlog::warn("driver {}: TCP keepalive not enabled for {}: {}", reporter_.driver_id(), peer,
                   keepalive_ec.message());
    }
    const std::uint64_t id = next_id_++;
    auto connection = std::make_shared<Connection>(std::move(socket), peer, options_.framing);
    connections_.emplace(id, connection);
    reporter_.status(true, "peer " + peer + " connected (" + std::to_string(connections_.size()) +
                               " connected)");
    arm_idle_timer(id, connection);
    read_next(id, connection);
    accept_next();
  }

  /// At the limit: closes the connection quiet the longest, if it has been quiet for at least
  /// evict_min_idle and holds no partial frame (a scanner mid-scan is never cut). Returns
  /// whether a slot was freed. A scanner that roamed to another access point reconnects
  /// from a new port while its old connection lingers: that old one is what gets evicted.
  bool evict_for(const std::string& newcomer) {
    const auto now = std::chrono::steady_clock::now();
    auto oldest = connections_.end();
    for (auto it = connections_.begin(); it != connections_.end(); ++it) {
      if (it->second->framer.pending_bytes() > 0) continue;
      if (now - it->second->last_activity < options_.evict_min_idle) continue;
      if (oldest == connections_.end() ||
          it->second->last_activity < oldest->second->last_activity) {
        oldest = it;
      }
    }
    if (oldest == connections_.end()) return false;
    const auto victim = oldest->second;
    const auto quiet =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - victim->last_activity);
    close_connection(oldest->first, victim,
                     "evicted after " + ms_text(quiet) + " idle for new connection from " +
                         newcomer + " (max_connections " +
                         std::to_string(options_.max_connections) + ")",
                     "connection_evicted");
    return true;
  }

  /// Closes one connection, reports the disconnect (and an exception of `kind` if given).
  void close_connection(std::uint64_t id, const std::shared_ptr<Connection>& connection,
                        const std::string& reason, const char* kind = nullptr) {
    error_code ignored;
    connection->idle_timer.cancel();
    connection->socket.close(ignored);
    connections_.erase(id);
    if (kind != nullptr) reporter_.error(kind, "peer " + connection->peer + " " + reason);
    reporter_.status(true, "peer " + connection->peer + " disconnected: " + reason + " (" +
                               std::to_string(connections_.size()) + " connected)");
  }

  void arm_idle_timer(std::uint64_t id, const std::shared_ptr<Connection>& connection) {
    if (options_.idle_timeout.count() <= 0) return;
    connection->idle_timer.expires_after(options_.idle_timeout);
    connection->idle_timer.async_wait([self = shared_from_this(), id,
                                       connection](const error_code& ec) {
      if (ec || !self->running_ || self->connections_.count(id) == 0) return;
      if (connection->idle_timer.expiry() > asio::steady_timer::clock_type::now()) return;
      self->close_connection(id, connection, "idle for " + ms_text(self->options_.idle_timeout));
    });
  }

  void read_next(std::uint64_t id, const std::shared_ptr<Connection>& connection) {
    const bool ready = reporter_.ready([weak = weak_from_this(), id, connection] {
      auto self = weak.lock();
      if (self && self->running_ && self->connections_.count(id) != 0) {
        self->read_next(id, connection);
      }
    });
    if (!ready) return;  // the agent is catching up: the bytes wait in the socket buffer
    connection->socket.async_read_some(
        asio::buffer(connection->buffer),
        [self = shared_from_this(), id, connection](const error_code& ec, std::size_t n) {
          self->on_read(id, connection, ec, n);
        });
  }

  void on_read(std::uint64_t id, const std::shared_ptr<Connection>& connection,
               const error_code& ec, std::size_t n) {
    if (!running_ || connections_.count(id) == 0) return;
    if (n > 0) {
      connection->last_activity = std::chrono::steady_clock::now();
      arm_idle_timer(id, connection);
      connection->framer.feed(std::string_view(connection->buffer.data(), n), now_utc_ms(),
                              outputs_);
      reporter_.deliver(outputs_);
      if (!running_) return;  // the sink may have stopped us
    }
    if (ec) {
      close_connection(id, connection, ec.message());
      return;
    }
    read_next(id, connection);
  }

  ReadReporter reporter_;
  TcpOptions options_;
  std::string listen_on_;  ///< "bind:port" as configured
  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  Backoff backoff_;
  std::map<std::uint64_t, std::shared_ptr<Connection>> connections_;
  std::vector<FramerOutput> outputs_;
  std::uint64_t next_id_ = 1;
  bool bind_failed_ = false;
  bool running_ = false;
};

TcpServerScanner::TcpServerScanner(const DriverContext& context, TcpOptions options)
    : SessionDriver(std::make_shared<Session>(context, std::move(options))) {}

}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
#include "drivers/tcp_scanner/tcp_client_scanner.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
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
// Half of each reconnect delay may be cut at random: gateways that lost the same switch
// must not all reconnect in the same millisecond.
constexpr double kReconnectJitter = 0.5;

}  // namespace

class TcpClientScanner::Session : public DriverSession,
                                  public std::enable_shared_from_this<Session> {
 public:
  Session(const DriverContext& context, TcpOptions options)
      : reporter_(context.sink, context.id, context.location_id),
        options_(std::move(options)),
        target_(options_.host + ":" + std::to_string(options_.port)),
        resolver_(context.io),
        socket_(context.io),
        retry_timer_(context.io),
        connect_timer_(context.io),
        framer_(options_.framing),
        backoff_(options_.reconnect_min, options_.reconnect_max, kReconnectJitter) {}

  void start() override {
    if (running_) return;
    running_ = true;
    connect();
  }

  void stop(bool report) override {
    if (!running_) return;
    running_ = false;
    ++attempt_;  // invalidates every pending handler
    resolver_.cancel();
    retry_timer_.cancel();
    connect_timer_.cancel();
    error_code ignored;
    socket_.close(ignored);
    framer_.reset();
    if (report && state_ == State::up) reporter_.status(false, target_ + ": stopped");
    state_ = State::unknown;
  }

 private:
  enum class State { unknown, up, down };

  // Every asynchronous step carries the attempt number it belongs to; a handler of an
  // older attempt (cancelled by a timeout or stop) does nothing.
  [[nodiscard]] bool current(std::uint64_t attempt) const {
    return running_ && attempt == attempt_;
  }

  void connect() {
    const std::uint64_t attempt = ++attempt_;
    connect_timer_.expires_after(options_.connect_timeout);
    connect_timer_.async_wait([self = shared_from_this(), attempt](const error_code& ec) {
      if (ec || !self->current(attempt)) return;
      self->fail("connect " + self->target_ + ": timed out after " +
                 std::to_string(self->options_.connect_timeout.count()) + " ms");
    });
    resolver_.async_resolve(options_.host, std::to_string(options_.port),
                            [self = shared_from_this(), attempt](
                                const error_code& ec, const tcp::resolver::results_type& results) {
                              if (!self->current(attempt)) return;
                              if (ec) {
                                self->fail("resolve " + self->options_.host + ": " + ec.message());
                                return;
                              }
                              self->connect_to(attempt, results);
                            });
  }

  void connect_to(std::uint64_t attempt, const tcp::resolver::results_type& results) {
    asio::async_connect(
        socket_, results,
        [self = shared_from_this(), attempt](const error_code& ec, const tcp::endpoint& peer) {
          if (!self->current(attempt)) return;
          if (ec) {
            self->fail("connect " + self->target_ + ": " + ec.message());
            return;
          }
          self->connected(peer);
        });
  }

  void connected(const tcp::endpoint& peer) {
    // A new attempt number: a connect-timeout handler already queued (expired just before
    // the cancel) must not tear down this good connection.
    const std::uint64_t attempt = ++attempt_;
    connect_timer_.cancel();
    if (auto ec = enable_keepalive(socket_)) {
      spdlog::warn("driver {}: TCP keepalive not enabled: {}", reporter_.driver_id(), ec.message());
    }
    backoff_.reset();
    framer_.reset();
    state_ = State::up;
    reporter_.status(true, "connected to " + target_ + " (" + to_string(peer) + ")");
    read_next(attempt);
  }

  void read_next(std::uint64_t attempt) {
    const bool ready = reporter_.ready([weak = weak_from_this(), attempt] {
      auto self = weak.lock();
      if (self && self->current(attempt)) self->read_next(attempt);
    });
    if (!ready) return;  // the agent is catching up: the bytes wait in the socket buffer
    socket_.async_read_some(asio::buffer(buffer_), [self = shared_from_this(), attempt](
                                                       const error_code& ec, std::size_t n) {
      self->on_read(attempt, ec, n);
    });
  }

  void on_read(std::uint64_t attempt, const error_code& ec, std::size_t n) {
    if (!current(attempt)) return;
    if (n > 0) {
      framer_.feed(std::string_view(buffer_.data(), n), now_utc_ms(), outputs_);
      reporter_.deliver(outputs_);
      if (!current(attempt)) return;  // the sink may have stopped us
    }
    if (ec) {
      fail("connection to " + target_ + " lost: " + ec.message());
      return;
    }
    read_next(attempt);
  }

  // Closes whatever is open, reports the transition to down once (repeats are logged at
  // debug), and schedules the next attempt.
  void fail(const std::string& reason) {
    ++attempt_;  // the other handlers of the failed attempt (timer, connect) become stale
    resolver_.cancel();
    connect_timer_.cancel();
    error_code ignored;
    socket_.close(ignored);
    framer_.reset();  // a partial frame from the lost connection is not a scan
    const auto delay = backoff_.next();
    if (state_ != State::down) {
      state_ = State::down;
      reporter_.status(false, reason);
    } else {
      spdlog::debug("driver {}: {}", reporter_.driver_id(), reason);
    }
    spdlog::debug("driver {}: reconnecting to {} in {} ms", reporter_.driver_id(), target_,
                  delay.count());
    retry_timer_.expires_after(delay);
    retry_timer_.async_wait([self = shared_from_this(), next = attempt_](const error_code& ec) {
      if (ec || !self->current(next)) return;
      self->connect();
    });
  }

  ReadReporter reporter_;
  TcpOptions options_;
  std::string target_;  ///< "host:port" as configured
  tcp::resolver resolver_;
  tcp::socket socket_;
  asio::steady_timer retry_timer_;
  asio::steady_timer connect_timer_;
  LineFramer framer_;
  Backoff backoff_;
  std::array<char, kReadChunkBytes> buffer_{};
  std::vector<FramerOutput> outputs_;
  std::uint64_t attempt_ = 0;
  State state_ = State::unknown;
  bool running_ = false;
};

TcpClientScanner::TcpClientScanner(const DriverContext& context, TcpOptions options)
    : SessionDriver(std::make_shared<Session>(context, std::move(options))) {}

}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
#include "drivers/llrp/reader_link.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <optional>
#include <utility>

#include "agent/clock.hpp"
#include "drivers/common/backoff.hpp"
#include "drivers/common/tcp_helpers.hpp"
#include "drivers/llrp/llrp_frame.hpp"
#include "drivers/llrp/llrp_messages.hpp"
#include "drivers/llrp/llrp_report.hpp"

namespace dockgate::drivers::llrp {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kReadChunkBytes = 4096;
constexpr std::size_t kRawSampleBytes = 256;  // raw bytes attached to a malformed-frame error
constexpr std::chrono::milliseconds kCloseWait{1000};  // CLOSE_CONNECTION_RESPONSE wait on stop
constexpr double kReconnectJitter = 0.5;

std::string raw(const Bytes& bytes, std::size_t max = SIZE_MAX) {
  return {bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(std::min(max, bytes.size()))};
}

std::string connection_attempt_text(std::uint16_t status) {
  switch (status) {
    case 1:
      return "another client is connected to the reader (ConnectionAttemptEvent 1: a "
             "reader-initiated connection already exists)";
    case 2:
      return "another client is connected to the reader (ConnectionAttemptEvent 2: a "
             "client-initiated connection already exists)";
    case 3:
      return "the reader refused the connection (ConnectionAttemptEvent 3: failed, reason "
             "not given)";
    default:
      return "the reader refused the connection (ConnectionAttemptEvent " + std::to_string(status) +
             ")";
  }
}

/// One request of the configuration sequence and the response it waits for.
struct Step {
  std::uint16_t request = 0;
  std::uint16_t response = 0;
  std::function<Bytes(std::uint32_t)> encode;
  bool tolerate_error = false;  // DELETE_ROSPEC of an id the reader does not hold
};

}  // namespace

class ReaderLink::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(asio::io_context& io, ReaderLinkOptions options, ReaderLinkCallbacks callbacks)
      : options_(std::move(options)),
        cb_(std::move(callbacks)),
        target_(options_.host + ":" + std::to_string(options_.port)),
        resolver_(io),
        socket_(io),
        connect_timer_(io),
        request_timer_(io),
        watchdog_(io),
        retry_timer_(io),
        close_timer_(io),
        backoff_(options_.reconnect_min, options_.reconnect_max, kReconnectJitter) {
    build_steps();
  }

  void start() {
    if (running_ || state_ != State::idle) return;
    running_ = true;
    connect();
  }

  void stop(std::function<void()> done) {
    if (!running_) {
      if (state_ == State::closing) {
        chain_done(std::move(done));
      } else if (done) {
        done();
      }
      return;
    }
    running_ = false;
    done_ = std::move(done);
    if (reported_ == Reported::up) cb_.on_status(false, target_ + ": stopped");
    reported_ = Reported::unknown;
    retry_timer_.cancel();
    if (state_ != State::handshake && state_ != State::up) {
      finish();
      return;
    }
    // Polite close (section 13.1.3): the reader then frees the connection at once instead
    // of refusing the next client until its own timeout.
    const bool stop_rospec = state_ == State::up && options_.rospec_mode == RospecMode::configure;
    state_ = State::closing;
    request_timer_.cancel();
    watchdog_.cancel();
    if (stop_rospec) send(encode_stop_rospec(next_id_++, options_.rospec_id));
    close_id_ = next_id_++;
    send(encode_close_connection(close_id_));
    close_timer_.expires_after(kCloseWait);
    close_timer_.async_wait([self = shared_from_this(), attempt = attempt_](const error_code& ec) {
      if (ec || attempt != self->attempt_ || self->state_ != State::closing) return;
      spdlog::debug("llrp {}: no CLOSE_CONNECTION_RESPONSE within {} ms", self->target_,
                    kCloseWait.count());
      self->finish();
    });
  }

 private:
  enum class State { idle, connecting, awaiting_event, handshake, up, closing };
  enum class Reported { unknown, up, down };

  void build_steps() {
    const std::uint32_t rospec = options_.rospec_id;
    ReaderConfigRequest config;
    config.keepalive_ms = static_cast<std::uint32_t>(options_.keepalive.count());
    steps_.push_back({kGetReaderCapabilities, kGetReaderCapabilitiesResponse,
                      [](std::uint32_t id) { return encode_get_reader_capabilities(id); }});
    if (options_.rospec_mode == RospecMode::keep) {
      // keep: the reader's own ROSpec stays; a factory reset would delete it.
      steps_.push_back({kSetReaderConfig, kSetReaderConfigResponse, [config](std::uint32_t id) {
                          return encode_set_reader_config(id, config);
                        }});
      return;
    }
    config.reset_to_factory = options_.reset_to_factory;
    RospecRequest add;
    add.rospec_id = rospec;
    add.antennas = options_.antennas.empty() ? std::vector<std::uint16_t>{0} : options_.antennas;
    add.report_trigger = 2;
    add.report_every_tags = options_.report_every_tags;
    steps_.push_back({kSetReaderConfig, kSetReaderConfigResponse,
                      [config](std::uint32_t id) { return encode_set_reader_config(id, config); }});
    steps_.push_back({kDeleteRospec, kDeleteRospecResponse,
                      [rospec](std::uint32_t id) { return encode_delete_rospec(id, rospec); },
                      true});
    steps_.push_back({kAddRospec, kAddRospecResponse,
                      [add](std::uint32_t id) { return encode_add_rospec(id, add); }});
    steps_.push_back({kEnableRospec, kEnableRospecResponse,
                      [rospec](std::uint32_t id) { return encode_enable_rospec(id, rospec); }});
  }

  [[nodiscard]] bool current(std::uint64_t attempt) const {
    return attempt == attempt_ && state_ != State::idle;
  }

  void connect() {
    const std::uint64_t attempt = ++attempt_;
    state_ = State::connecting;
    connect_timer_.expires_after(options_.connect_timeout);
    connect_timer_.async_wait([self = shared_from_this(), attempt](const error_code& ec) {
      if (ec || !self->current(attempt) || self->state_ != State::connecting) return;
      self->fail("connect " + self->target_ + ": timed out after " +
                 std::to_string(self->options_.connect_timeout.count()) + " ms");
    });
    resolver_.async_resolve(
        options_.host, std::to_string(options_.port),
        [self = shared_from_this(), attempt](const error_code& ec,
                                             const tcp::resolver::results_type& results) {
          if (!self->current(attempt)) return;
          if (ec) {
            self->fail("resolve " + self->options_.host + ": " + ec.message());
            return;
          }
          asio::async_connect(self->socket_, results,
                              [self, attempt](const error_code& ec2, const tcp::endpoint& peer) {
                                if (!self->current(attempt)) return;
                                if (ec2) {
                                  self->fail("connect " + self->target_ + ": " + ec2.message());
                                  return;
                                }
                                self->connected(peer);
                              });
        });
  }

  void connected(const tcp::endpoint& peer) {
    const std::uint64_t attempt = ++attempt_;  // a queued connect timeout is now stale
    connect_timer_.cancel();
    if (auto ec = enable_keepalive(socket_)) {
      spdlog::warn("llrp {}: TCP keepalive not enabled: {}", target_, ec.message());
    }
    spdlog::debug("llrp {}: connected ({}), waiting for ConnectionAttemptEvent", target_,
                  to_string(peer));
    state_ = State::awaiting_event;
    rx_.clear();
    last_rx_ = Clock::now();
    // Section 18.1: nothing may be sent before the reader's ConnectionAttemptEvent.
    pending_id_ = 0;
    arm_request_timer(attempt, 0, "READER_EVENT_NOTIFICATION (ConnectionAttemptEvent)");
    arm_watchdog(attempt);
    read_next(attempt);
  }

  void arm_request_timer(std::uint64_t attempt, std::uint32_t id, const std::string& awaited) {
    request_timer_.expires_after(options_.response_timeout);
    request_timer_.async_wait([self = shared_from_this(), attempt, id,
                               awaited](const error_code& ec) {
      if (ec || !self->current(attempt) || self->pending_id_ != id) return;
      if (self->state_ != State::awaiting_event && self->state_ != State::handshake) return;
      const std::string message = "no " + awaited + " from " + self->target_ + " within " +
                                  std::to_string(self->options_.response_timeout.count()) + " ms";
      self->cb_.on_error("llrp_response_timeout", message, {});
      self->fail(message);
    });
  }

  void arm_watchdog(std::uint64_t attempt) {
    if (options_.keepalive.count() <= 0 || options_.missed_keepalives == 0) return;
    const auto limit = options_.keepalive * options_.missed_keepalives;
    watchdog_.expires_at(last_rx_ + limit);
    watchdog_.async_wait([self = shared_from_this(), attempt, limit](const error_code& ec) {
      if (ec || !self->current(attempt) || self->state_ == State::closing) return;
      if (Clock::now() < self->last_rx_ + limit) {
        self->arm_watchdog(attempt);  // something arrived meanwhile
        return;
      }
      const std::string message =
          "reader " + self->target_ + " silent for " + std::to_string(limit.count()) + " ms (" +
          std::to_string(self->options_.missed_keepalives) + " keepalive periods); reconnecting";
      self->cb_.on_error("llrp_reader_silent", message, {});
      self->fail(message);
    });
  }

  void read_next(std::uint64_t attempt) {
    socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this(), attempt](
                                                      const error_code& ec, std::size_t n) {
      self->on_read(attempt, ec, n);
    });
  }

  void on_read(std::uint64_t attempt, const error_code& ec, std::size_t n) {
    if (!current(attempt)) return;
    if (n > 0) {
      last_rx_ = Clock::now();
      rx_.insert(rx_.end(), chunk_.begin(), chunk_.begin() + static_cast<std::ptrdiff_t>(n));
      if (!process_frames(attempt)) return;
    }
    if (ec) {
      if (state_ == State::closing) {
        finish();
      } else {
        fail("connection to " + target_ + " lost: " + ec.message());
      }
      return;
    }
    read_next(attempt);
  }

  // Handles every complete message in rx_; false when the attempt ended meanwhile.
  bool process_frames(std::uint64_t attempt) {
    std::size_t offset = 0;
    while (offset < rx_.size()) {
      const auto check = check_frame(std::span(rx_).subspan(offset));
      if (check.state == FrameState::need_more) break;
      if (check.state == FrameState::invalid) {
        Bytes sample(rx_.begin() + static_cast<std::ptrdiff_t>(offset), rx_.end());
        const std::string message =
            "malformed LLRP stream from " + target_ + ": " + check.error + "; reconnecting";
        if (state_ != State::closing)
          cb_.on_error("llrp_malformed_frame", message, raw(sample, kRawSampleBytes));
        fail(message);
        return false;
      }
      const auto begin = rx_.begin() + static_cast<std::ptrdiff_t>(offset);
      Bytes frame(begin, begin + static_cast<std::ptrdiff_t>(check.header.length));
      offset += check.header.length;
      on_message(check.header, frame);
      if (!current(attempt)) return false;
    }
    rx_.erase(rx_.begin(), rx_.begin() + static_cast<std::ptrdiff_t>(offset));
    return true;
  }

  void on_message(const FrameHeader& header, const Bytes& frame) {
    const auto body = std::span(frame).subspan(kHeaderBytes);
    switch (header.type) {
      case kKeepalive:  // section 13.1.4: acknowledged in every state
        send(encode_keepalive_ack(header.id));
        return;
      case kReaderEventNotification:
        on_event(body, frame);
        return;
      case kRoAccessReport: {
        if (state_ == State::closing) return;
        auto report = decode_ro_access_report(body, UptimeClock{boot_utc_ms_});
        if (!report.sightings.empty() && cb_.on_tags) {
          cb_.on_tags(std::move(report.sightings), now_utc_ms());
        }
        if (!report.error.empty()) cb_.on_error("llrp_malformed_report", report.error, raw(frame));
        return;
      }
      case kErrorMessage: {
        if (state_ == State::closing) return;
        const auto status = decode_status(body);
        const std::string message =
            "ERROR_MESSAGE from " + target_ + " (message id " + std::to_string(header.id) +
            "): " + (status.error.empty() ? status.status.to_string() : status.error);
        cb_.on_error("llrp_error_message", message, raw(frame));
        if (state_ == State::handshake && header.id == pending_id_) fail(message);
        return;
      }
      case kCloseConnectionResponse:
        if (state_ == State::closing && header.id == close_id_) {
          finish();
          return;
        }
        break;
      default:
        break;
    }
    if (state_ == State::handshake && header.id == pending_id_ &&
        header.type == steps_[step_].response) {
      on_response(frame);
      return;
    }
    spdlog::debug("llrp {}: ignored {} (id {})", target_, message_name(header.type), header.id);
  }

  void on_event(std::span<const std::uint8_t> body, const Bytes& frame) {
    const auto decoded = decode_reader_event(body);
    if (!decoded.error.empty()) {
      if (state_ != State::closing)
        cb_.on_error("llrp_malformed_report", decoded.error, raw(frame));
      return;
    }
    const ReaderEvent& event = decoded.event;
    if (event.uptime_us) {
      boot_utc_ms_ = now_utc_ms() - static_cast<std::int64_t>(*event.uptime_us / 1000U);
    }
    if (event.connection_close) {
      if (state_ == State::closing) {
        finish();
      } else {
        fail("reader " + target_ + " closed the connection (ConnectionCloseEvent)");
      }
      return;
    }
    if (!event.connection_attempt) return;
    const std::uint16_t status = *event.connection_attempt;
    if (state_ != State::awaiting_event) {
      if (status == 4) {
        spdlog::warn(
            "llrp {}: another client tried to connect to the reader "
            "(ConnectionAttemptEvent 4); this connection stays",
            target_);
      }
      return;
    }
    if (status != 0) {
      const std::string message = target_ + ": " + connection_attempt_text(status);
      cb_.on_error("llrp_connection_refused", message, raw(frame));
      fail(message);
      return;
    }
    state_ = State::handshake;
    step_ = 0;
    next_step();
  }

  void on_response(const Bytes& frame) {
    const Step& step = steps_[step_];
    const auto status = decode_status(std::span(frame).subspan(kHeaderBytes));
    if (!status.error.empty()) {
      const std::string message = message_name(step.response) + ": " + status.error;
      cb_.on_error("llrp_malformed_report", message, raw(frame));
      fail(message);
      return;
    }
    if (!status.status.success()) {
      const std::string message =
          message_name(step.request) + " rejected by " + target_ + ": " + status.status.to_string();
      if (!step.tolerate_error) {
        cb_.on_error("llrp_error_status", message, raw(frame));
        fail(message);
        return;
      }
      spdlog::debug("llrp {}: {} (expected when the ROSpec did not exist)", target_, message);
    }
    ++step_;
    next_step();
  }

  void next_step() {
    if (step_ < steps_.size()) {
      const Step& step = steps_[step_];
      pending_id_ = next_id_++;
      send(step.encode(pending_id_));
      arm_request_timer(attempt_, pending_id_, message_name(step.response));
      return;
    }
    // Section 12.2.6.4: releases reports a reader holds for a reconnecting client; some
    // readers need it even without hold (sllurp 5ea1561). It has no response.
    send(encode_enable_events_and_reports(next_id_++));
    pending_id_ = 0;
    request_timer_.cancel();
    state_ = State::up;
    backoff_.reset();
    reported_ = Reported::up;
    const std::string detail =
        options_.rospec_mode == RospecMode::configure
            ? "connected to " + target_ + ", ROSpec " + std::to_string(options_.rospec_id) +
                  " enabled"
            : "connected to " + target_ + ", using the reader's ROSpecs (rospec: keep)";
    if (cb_.on_status) cb_.on_status(true, detail);
  }

  void send(Bytes bytes) {
    tx_.push_back(std::move(bytes));
    if (!writing_) write_next(attempt_);
  }

  void write_next(std::uint64_t attempt) {
    if (tx_.empty()) return;
    writing_ = true;
    auto buffer = std::make_shared<Bytes>(std::move(tx_.front()));
    tx_.pop_front();
    asio::async_write(
        socket_, asio::buffer(*buffer),
        [self = shared_from_this(), attempt, buffer](const error_code& ec, std::size_t /*n*/) {
          if (!self->current(attempt)) return;
          self->writing_ = false;
          if (ec) {
            if (self->state_ == State::closing) {
              self->finish();
            } else {
              self->fail("write to " + self->target_ + ": " + ec.message());
            }
            return;
          }
          self->write_next(attempt);
        });
  }

  void close_all() {
    ++attempt_;  // every pending handler of this attempt becomes stale
    resolver_.cancel();
    connect_timer_.cancel();
    request_timer_.cancel();
    watchdog_.cancel();
    close_timer_.cancel();
    error_code ignored;
    socket_.close(ignored);
    rx_.clear();
    tx_.clear();
    writing_ = false;
    pending_id_ = 0;
  }

  // End of stop(): everything closed, completion reported.
  void finish() {
    close_all();
    retry_timer_.cancel();
    state_ = State::idle;
    if (auto done = std::exchange(done_, {})) done();
  }

  void chain_done(std::function<void()> done) {
    if (!done) return;
    auto first = std::move(done_);
    done_ = [first = std::move(first), done = std::move(done)] {
      if (first) first();
      done();
    };
  }

  // Closes the connection, reports down once, retries after the backoff delay.
  void fail(const std::string& reason) {
    if (state_ == State::closing || !running_) {
      finish();
      return;
    }
    close_all();
    state_ = State::connecting;  // waiting to retry
    const auto delay = backoff_.next();
    if (reported_ != Reported::down) {
      reported_ = Reported::down;
      if (cb_.on_status) cb_.on_status(false, reason);
    } else {
      spdlog::debug("llrp {}: {}", target_, reason);
    }
    spdlog::debug("llrp {}: reconnecting in {} ms", target_, delay.count());
    retry_timer_.expires_after(delay);
    retry_timer_.async_wait([self = shared_from_this(), attempt = attempt_](const error_code& ec) {
      if (ec || !self->running_ || attempt != self->attempt_) return;
      self->connect();
    });
  }

  ReaderLinkOptions options_;
  ReaderLinkCallbacks cb_;
  std::string target_;
  tcp::resolver resolver_;
  tcp::socket socket_;
  asio::steady_timer connect_timer_;
  asio::steady_timer request_timer_;  // response or first-event timeout
  asio::steady_timer watchdog_;       // reader silence
  asio::steady_timer retry_timer_;
  asio::steady_timer close_timer_;
  Backoff backoff_;
  std::vector<Step> steps_;
  std::size_t step_ = 0;
  std::array<std::uint8_t, kReadChunkBytes> chunk_{};
  Bytes rx_;  // bounded: at most one message (<= kMaxFrameBytes) plus one chunk
  std::deque<Bytes> tx_;
  bool writing_ = false;
  std::uint64_t attempt_ = 0;
  std::uint32_t next_id_ = 1;
  std::uint32_t pending_id_ = 0;
  std::uint32_t close_id_ = 0;
  Clock::time_point last_rx_{};
  std::optional<std::int64_t> boot_utc_ms_;
  std::function<void()> done_;
  State state_ = State::idle;
  Reported reported_ = Reported::unknown;
  bool running_ = false;
};

ReaderLink::ReaderLink(asio::io_context& io, ReaderLinkOptions options,
                       ReaderLinkCallbacks callbacks)
    : options_(options),
      io_(&io),
      session_(std::make_shared<Session>(io, std::move(options), std::move(callbacks))) {}

ReaderLink::~ReaderLink() {
  stop();
}

void ReaderLink::start() {
  asio::post(*io_, [session = session_] { session->start(); });
}

void ReaderLink::stop(std::function<void()> done) {
  asio::post(*io_, [session = session_, done = std::move(done)]() mutable {
    session->stop(std::move(done));
  });
}

}  // namespace dockgate::drivers::llrp

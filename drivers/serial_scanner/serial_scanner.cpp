// SPDX-License-Identifier: Apache-2.0
#include "drivers/serial_scanner/serial_scanner.hpp"

#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/ioctl.h>

#include <array>
#include <boost/asio/serial_port.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <utility>
#include <vector>

#include "agent/clock.hpp"
#include "drivers/common/backoff.hpp"
#include "drivers/common/read_reporter.hpp"
#include "drivers/framing/line_framer.hpp"

namespace dockgate::drivers {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

constexpr std::size_t kReadChunkBytes = 512;

// Why an open failed, with the hint an operator needs for the usual causes.
std::string open_failure(const std::string& device, const std::string& step, const error_code& ec) {
  std::string text = step + " " + device + ": " + ec.message();
  if (ec == boost::system::errc::permission_denied) {
    text += " (add the service user to the 'dialout' group)";
  } else if (ec == boost::system::errc::device_or_resource_busy ||
             ec == boost::system::errc::operation_would_block) {
    text += " (another program has the port open: check with 'fuser " + device + "')";
  } else if (ec == boost::system::errc::invalid_argument && step.rfind("set ", 0) == 0) {
    text += " (the device does not support this setting)";
  } else if (ec == boost::system::errc::no_such_file_or_directory) {
    text += " (not plugged in?)";
  }
  return text;
}

}  // namespace

class SerialScanner::Session : public DriverSession, public std::enable_shared_from_this<Session> {
 public:
  Session(const DriverContext& context, SerialOptions options)
      : reporter_(context.sink, context.id, context.location_id),
        options_(std::move(options)),
        port_(context.io),
        timer_(context.io),
        framer_(options_.framing),
        backoff_(options_.reopen_min, options_.reopen_max) {}

  void start() override {
    if (running_) return;
    running_ = true;
    open_now();
  }

  void stop(bool report) override {
    if (!running_) return;
    running_ = false;
    timer_.cancel();
    error_code ignored;
    port_.close(ignored);
    framer_.reset();
    if (report && state_ == State::up) reporter_.status(false, options_.device + ": stopped");
    state_ = State::unknown;
  }

 private:
  enum class State { unknown, up, down };

  void open_now() {
    error_code ec;
    std::string step = "open";
    port_.open(options_.device, ec);
    if (!ec) {
      step = "lock";
      ec = claim_exclusive();
    }
    if (!ec) ec = apply_line_settings(step);
    if (ec) {
      error_code ignored;
      port_.close(ignored);
      went_down(open_failure(options_.device, step, ec));
      return;
    }
    backoff_.reset();
    framer_.reset();
    state_ = State::up;
    reporter_.status(true, options_.device + " " + line_settings(options_));
    read_next();
  }

  // flock() stops a second dockgate (even as root); TIOCEXCL makes every other non-root
  // open() fail with EBUSY (terminal programs, ModemManager probing). flock first, so a
  // losing opener never touches the tty's exclusive flag.
  error_code claim_exclusive() {
    const int fd = port_.native_handle();
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno == EWOULDBLOCK ? EBUSY : errno;
      return {err, boost::system::system_category()};
    }
    if (::ioctl(fd, TIOCEXCL) != 0) return {errno, boost::system::system_category()};
    return {};
  }

  // Applies one setting at a time so a refusal names the setting (`step` is updated).
  error_code apply_line_settings(std::string& step) {
    using base = asio::serial_port_base;
    error_code ec;
    step = "set baud " + std::to_string(options_.baud) + " on";
    port_.set_option(base::baud_rate(options_.baud), ec);
    if (ec) return ec;
    step = "set data_bits " + std::to_string(options_.data_bits) + " on";
    port_.set_option(base::character_size(static_cast<unsigned>(options_.data_bits)), ec);
    if (ec) return ec;
    step = "set parity on";
    const auto parity = options_.parity == Parity::even  ? base::parity::even
                        : options_.parity == Parity::odd ? base::parity::odd
                                                         : base::parity::none;
    port_.set_option(base::parity(parity), ec);
    if (ec) return ec;
    step = "set stop_bits " + std::to_string(options_.stop_bits) + " on";
    port_.set_option(
        base::stop_bits(options_.stop_bits == 2 ? base::stop_bits::two : base::stop_bits::one), ec);
    if (ec) return ec;
    step = "set flow_control on";
    const auto flow = options_.flow_control == FlowControl::hardware ? base::flow_control::hardware
                      : options_.flow_control == FlowControl::software
                          ? base::flow_control::software
                          : base::flow_control::none;
    port_.set_option(base::flow_control(flow), ec);
    return ec;
  }

  void read_next() {
    port_.async_read_some(
        asio::buffer(buffer_),
        [self = shared_from_this()](const error_code& ec, std::size_t n) { self->on_read(ec, n); });
  }

  void on_read(const error_code& ec, std::size_t n) {
    if (!running_) return;
    if (n > 0) {
      framer_.feed(std::string_view(buffer_.data(), n), now_utc_ms(), outputs_);
      reporter_.deliver(outputs_);
      if (!running_) return;  // the sink may have stopped us
    }
    if (ec) {
      error_code ignored;
      port_.close(ignored);
      framer_.reset();  // a partial frame from before the unplug is not a scan
      went_down("read " + options_.device + ": " + ec.message());
      return;
    }
    read_next();
  }

  // Reports the first failure after being up (or at start), logs repeats quietly, and
  // schedules the next attempt. A device that stays absent is retried forever.
  void went_down(const std::string& reason) {
    const auto delay = backoff_.next();
    if (state_ != State::down) {
      state_ = State::down;
      reporter_.status(false, reason);
    } else if (reason != last_reason_) {
      spdlog::warn("driver {}: {}", reporter_.driver_id(), reason);
    }
    spdlog::debug("driver {}: reopening {} in {} ms", reporter_.driver_id(), options_.device,
                  delay.count());
    last_reason_ = reason;
    timer_.expires_after(delay);
    timer_.async_wait([self = shared_from_this()](const error_code& wait_ec) {
      if (wait_ec || !self->running_) return;
      self->open_now();
    });
  }

  ReadReporter reporter_;
  SerialOptions options_;
  asio::serial_port port_;
  asio::steady_timer timer_;
  LineFramer framer_;
  Backoff backoff_;
  std::array<char, kReadChunkBytes> buffer_{};
  std::vector<FramerOutput> outputs_;
  std::string last_reason_;
  State state_ = State::unknown;
  bool running_ = false;
};

SerialScanner::SerialScanner(const DriverContext& context, SerialOptions options)
    : SessionDriver(std::make_shared<Session>(context, std::move(options))) {}

DriverType serial_scanner_type() {
  return DriverType{
      "serial_scanner",
      "Barcode scanner on a serial line (RS-232 or USB virtual COM port), one scan per line",
      [](config::MapReader& keys) -> DriverFactory {
        SerialOptions options;
        read_serial_options(keys, options);
        return [options](const DriverContext& context) -> std::unique_ptr<Driver> {
          return std::make_unique<SerialScanner>(context, options);
        };
      }};
}

}  // namespace dockgate::drivers

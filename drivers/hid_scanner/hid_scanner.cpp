// SPDX-License-Identifier: Apache-2.0
#include "drivers/hid_scanner/hid_scanner.hpp"

#include <fcntl.h>
#include <linux/input.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "agent/clock.hpp"
#include "drivers/common/backoff.hpp"
#include "drivers/common/read_reporter.hpp"
#include "drivers/hid_scanner/keystroke_framer.hpp"

namespace dockgate::drivers {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

constexpr std::size_t kEventBytes = sizeof(input_event);
// Events per read() call: a scan of a 48-character GS1-128 code is ~200 events.
constexpr std::size_t kEventsPerRead = 64;
// Read calls per readiness wakeup before yielding to other handlers (fairness).
constexpr int kReadsPerWakeup = 16;

}  // namespace

std::string hid_failure_detail(const std::string& device, const std::string& step, int error) {
  if (step == "open" && (error == EACCES || error == EPERM)) {
    return "permission denied opening " + device +
           ": add the dockgate user to group 'input' (SupplementaryGroups=input)";
  }
  std::string text = step + " " + device + ": " + std::strerror(error);
  if (step == "open" && error == ENOENT) {
    text += " (not plugged in? see ls -l /dev/input/by-id/)";
  } else if (step == "grab" && error == EBUSY) {
    text += " (another program has grabbed it: set grab: false only if sharing is intended)";
  } else if (step == "check" && (error == ENOTTY || error == EINVAL)) {
    text += " (not an input event device: use the ...-event-kbd link, or a FIFO for replay)";
  } else if (step == "read" && error == ENODEV) {
    text += " (unplugged)";
  }
  return text;
}

class HidScanner::Session : public DriverSession, public std::enable_shared_from_this<Session> {
 public:
  Session(const DriverContext& context, HidOptions options)
      : reporter_(context.sink, context.id, context.location_id),
        options_(std::move(options)),
        descriptor_(context.io),
        timer_(context.io),
        framer_(options_.layout, options_.framing),
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
    close_device();
    if (report && state_ == State::up) reporter_.status(false, options_.device + ": stopped");
    state_ = State::unknown;
  }

 private:
  enum class State { unknown, up, down };

  void open_now() {
    const int fd = ::open(options_.device.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      went_down(hid_failure_detail(options_.device, "open", errno));
      return;
    }
    std::string mode;
    std::string step;
    const int err = prepare(fd, mode, step);
    if (err != 0) {
      ::close(fd);
      went_down(hid_failure_detail(options_.device, step, err));
      return;
    }
    error_code ec;
    descriptor_.assign(fd, ec);
    if (ec) {
      ::close(fd);
      went_down(hid_failure_detail(options_.device, "watch", ec.value()));
      return;
    }
    backoff_.reset();
    framer_.reset();
    pending_ = 0;
    state_ = State::up;
    reporter_.status(true, options_.device + " layout " + to_string(options_.layout) + ", " + mode);
    wait_next();
  }

  // Checks that `fd` is an evdev device and grabs it; a FIFO is the replay/test mode and is
  // taken as is (EVIOCGRAB would fail with ENOTTY there). Returns 0 or the errno of `step`.
  int prepare(int fd, std::string& mode, std::string& step) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      step = "stat";
      return errno;
    }
    if (S_ISFIFO(st.st_mode)) {
      mode = "FIFO replay";
      return 0;
    }
    int version = 0;
    if (::ioctl(fd, EVIOCGVERSION, &version) != 0) {
      step = "check";
      return errno;
    }
    if (!options_.grab) {
      mode = "not grabbed";
      return 0;
    }
    // Exclusive: while grabbed, no other reader (console, X, Wayland) sees the key events,
    // so a scan cannot end up typed into a shell.
    if (::ioctl(fd, EVIOCGRAB, 1) != 0) {
      step = "grab";
      return errno;
    }
    mode = "grabbed";
    return 0;
  }

  void close_device() {
    error_code ignored;
    descriptor_.close(ignored);  // closing also releases the grab
    framer_.reset();
    pending_ = 0;
  }

  // Waits for readability and then reads with read(2) directly: Asio's speculative read on
  // a fresh FIFO without a writer would see EOF at once, while epoll only reports it after a
  // writer has come and gone. One code path for devices and FIFOs.
  void wait_next() {
    descriptor_.async_wait(
        asio::posix::stream_descriptor::wait_read,
        [self = shared_from_this()](const error_code& ec) { self->on_ready(ec); });
  }

  void on_ready(const error_code& ec) {
    if (!running_) return;
    if (ec) {
      lost(hid_failure_detail(options_.device, "wait", ec.value()));
      return;
    }
    for (int i = 0; i < kReadsPerWakeup; ++i) {
      const ssize_t n =
          ::read(descriptor_.native_handle(), buffer_.data() + pending_, buffer_.size() - pending_);
      if (n > 0) {
        pending_ += static_cast<std::size_t>(n);
        decode_records();
        reporter_.deliver(outputs_);
        if (!running_) return;  // the sink may have stopped us
        continue;
      }
      if (n == 0) {
        lost("end of input on " + options_.device + " (FIFO writer closed)");
        return;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN) break;
      lost(hid_failure_detail(options_.device, "read", errno));
      return;
    }
    wait_next();
  }

  // Decodes every whole record in the buffer; a partial one stays at the front.
  void decode_records() {
    const auto now = now_utc_ms();
    std::size_t offset = 0;
    for (; offset + kEventBytes <= pending_; offset += kEventBytes) {
      input_event event{};
      std::memcpy(&event, buffer_.data() + offset, kEventBytes);
      framer_.feed(event.type, event.code, event.value, now, outputs_);
    }
    if (offset > 0) {
      std::memmove(buffer_.data(), buffer_.data() + offset, pending_ - offset);
      pending_ -= offset;
    }
  }

  void lost(const std::string& reason) {
    close_device();  // a partial scan from before the unplug is not a scan
    went_down(reason);
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
  HidOptions options_;
  asio::posix::stream_descriptor descriptor_;
  asio::steady_timer timer_;
  KeystrokeFramer framer_;
  Backoff backoff_;
  std::array<char, kEventBytes * kEventsPerRead> buffer_{};
  std::size_t pending_ = 0;  ///< bytes in buffer_ (a partial record is kept for the next read)
  std::vector<FramerOutput> outputs_;
  std::string last_reason_;
  State state_ = State::unknown;
  bool running_ = false;
};

HidScanner::HidScanner(const DriverContext& context, HidOptions options)
    : SessionDriver(std::make_shared<Session>(context, std::move(options))) {}

DriverType hid_scanner_type() {
  return DriverType{
      "hid_scanner",
      "USB barcode scanner in keyboard-wedge mode, read exclusively from its input event device",
      [](config::MapReader& keys) -> DriverFactory {
        HidOptions options;
        read_hid_options(keys, options);
        return [options](const DriverContext& context) -> std::unique_ptr<Driver> {
          return std::make_unique<HidScanner>(context, options);
        };
      }};
}

}  // namespace dockgate::drivers

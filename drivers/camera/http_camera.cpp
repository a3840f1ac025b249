// SPDX-License-Identifier: Apache-2.0
#include "drivers/camera/http_camera.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <stdexcept>
#include <utility>

#include "agent/clock.hpp"
#include "drivers/camera/barcode_decoder.hpp"
#include "drivers/camera/http_fetch.hpp"
#include "drivers/common/backoff.hpp"
#include "drivers/common/read_reporter.hpp"

namespace dockgate::drivers {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

HttpUrl checked_url(const std::string& url) {
  auto parsed = parse_http_url(url);
  if (!parsed) throw std::invalid_argument("snapshot_url must be http://host[:port]/path");
  return *parsed;
}

// What the worker hands back: a fetch error, or the decoded frame.
struct Frame {
  std::optional<std::string> fetch_error;
  DecodeResult decoded;
};

}  // namespace

class HttpCamera::Session : public DriverSession, public std::enable_shared_from_this<Session> {
 public:
  Session(const DriverContext& context, CameraOptions options)
      : io_(context.io),
        reporter_(context.sink, context.id, context.location_id),
        options_(std::move(options)),
        url_(checked_url(options_.snapshot_url)),
        decoder_(std::make_shared<const BarcodeDecoder>(options_.formats)),
        pool_(1),  // one poll at a time per camera
        timer_(context.io),
        backoff_(options_.reopen_min, options_.reopen_max),
        filter_(options_.repeat_window) {}

  ~Session() {
    pool_.stop();
    pool_.join();
  }

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() override {
    if (running_) return;
    running_ = true;
    poll();
  }

  void stop(bool report) override {
    if (!running_) return;
    running_ = false;
    timer_.cancel();
    pool_.stop();
    if (report && state_ == State::up) {
      reporter_.status(false, options_.snapshot_url + ": stopped");
    }
    state_ = State::unknown;
  }

  [[nodiscard]] CameraCounters counters() const { return counters_; }

 private:
  enum class State { unknown, up, down };

  void poll() {
    asio::post(pool_,
               [weak = weak_from_this(), decoder = decoder_, io = io_.get_executor(), url = url_,
                timeout = options_.timeout, max_bytes = options_.max_image_bytes] {
                 Frame frame;
                 auto fetched = http_get(url, timeout, max_bytes);
                 if (fetched.error) {
                   frame.fetch_error = std::move(fetched.error);
                 } else {
                   frame.decoded = decoder->decode_memory(fetched.body);
                 }
                 asio::post(io, [weak, frame = std::move(frame)]() mutable {
                   if (auto self = weak.lock()) self->on_frame(std::move(frame));
                 });
               });
  }

  void on_frame(Frame frame) {
    if (!running_) return;
    if (frame.fetch_error) {
      const std::string reason = options_.snapshot_url + ": " + *frame.fetch_error;
      if (state_ == State::down) {
        spdlog::debug("driver {}: still down: {}", reporter_.driver_id(), reason);
      } else {
        reporter_.status(false, reason);
      }
      state_ = State::down;
      schedule(backoff_.next());
      return;
    }
    if (state_ != State::up) {
      reporter_.status(true, options_.snapshot_url + ": polling every " +
                                 std::to_string(options_.interval.count()) + " ms");
      state_ = State::up;
      backoff_.reset();
    }
    std::vector<FramerOutput> outputs;
    if (frame.decoded.error) {
      ++counters_.unreadable;
      ReadError error;
      error.time_ms = now_utc_ms();
      error.kind = "image_unreadable";
      error.message =
          "cannot decode snapshot from " + options_.snapshot_url + ": " + *frame.decoded.error;
      error.data = options_.snapshot_url;
      outputs.emplace_back(std::move(error));
    } else {
      outputs = new_reads(frame.decoded.codes, filter_, counters_);
      if (frame.decoded.codes.empty()) {
        spdlog::debug("driver {}: no readable code in snapshot ({} of {} without code)",
                      reporter_.driver_id(), counters_.no_code, counters_.images);
      }
    }
    reporter_.deliver(outputs);
    schedule(options_.interval);
  }

  void schedule(std::chrono::milliseconds delay) {
    timer_.expires_after(delay);
    timer_.async_wait([self = shared_from_this()](const error_code& ec) {
      if (!ec && self->running_) self->poll();
    });
  }

  asio::io_context& io_;
  ReadReporter reporter_;
  CameraOptions options_;
  HttpUrl url_;
  std::shared_ptr<const BarcodeDecoder> decoder_;
  asio::thread_pool pool_;
  asio::steady_timer timer_;
  Backoff backoff_;
  RepeatFilter filter_;
  CameraCounters counters_;
  State state_ = State::unknown;
  bool running_ = false;
};

HttpCamera::HttpCamera(const DriverContext& context, CameraOptions options)
    : SessionDriver(std::make_shared<Session>(context, std::move(options))) {}

CameraCounters HttpCamera::counters() const {
  return session_as<Session>().counters();
}

}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
#include "drivers/camera/camera.hpp"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

#include "agent/clock.hpp"
#include "drivers/camera/barcode_decoder.hpp"
#include "drivers/camera/http_camera.hpp"
#include "drivers/camera/repeat_filter.hpp"
#include "drivers/camera/spool_files.hpp"
#include "drivers/camera/spool_tracker.hpp"
#include "drivers/common/backoff.hpp"
#include "drivers/common/read_reporter.hpp"

namespace dockgate::drivers {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using boost::system::error_code;

constexpr std::uint32_t kWatchMask = IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO |
                                     IN_MOVED_FROM | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF |
                                     IN_ONLYDIR;
// Room for many events per read (each is 16 bytes + a NAME_MAX-bounded name).
constexpr std::size_t kEventBufferBytes = std::size_t{16} * 1024;
// While a file settles, list the directory this often relative to `settle`.
constexpr int kSettleChecksPerPeriod = 4;
constexpr std::chrono::milliseconds kMinTick{20};

// What a worker hands back to the io_context thread.
struct Decoded {
  std::string name;
  std::string path;
  DecodeResult result;
  bool vanished = false;  // the file was gone before it could be read
};

}  // namespace

class SpoolCamera::Session : public DriverSession, public std::enable_shared_from_this<Session> {
 public:
  Session(const DriverContext& context, CameraOptions options)
      : io_(context.io),
        reporter_(context.sink, context.id, context.location_id),
        options_(std::move(options)),
        decoder_(std::make_shared<const BarcodeDecoder>(options_.formats)),
        pool_(options_.workers),
        watch_(context.io),
        tick_timer_(context.io),
        retry_timer_(context.io),
        backoff_(options_.reopen_min, options_.reopen_max),
        tracker_(options_.settle),
        filter_(options_.repeat_window) {}

  ~Session() {
    pool_.stop();
    pool_.join();  // running decodes hold no reference to the session, only to the decoder
  }

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() override {
    if (running_) return;
    running_ = true;
    open_now();
  }

  void stop(bool report) override {
    if (!running_) return;
    running_ = false;
    tick_timer_.cancel();
    retry_timer_.cancel();
    close_watch();
    // Queued decodes are dropped; their files stay in the spool directory for the next start.
    pool_.stop();
    if (report && state_ == State::up) reporter_.status(false, options_.spool_dir + ": stopped");
    state_ = State::unknown;
  }

  [[nodiscard]] CameraCounters counters() const { return counters_; }

 private:
  enum class State { unknown, up, down };

  void open_now() {
    std::error_code ec;
    if (!fs::is_directory(options_.spool_dir, ec)) {
      fail(options_.spool_dir + ": " + (ec ? ec.message() : "not a directory"));
      return;
    }
    for (const auto* dir : {&options_.failed_dir, &options_.done_dir}) {
      if (dir == &options_.done_dir && options_.after == AfterDecode::remove) continue;
      fs::create_directories(*dir, ec);
      if (ec) {
        fail("create " + *dir + ": " + ec.message());
        return;
      }
    }
    const bool watching = open_watch();
    backoff_.reset();
    state_ = State::up;
    reporter_.status(true, options_.spool_dir + ": watching (" +
                               (watching ? "inotify" : "rescan only") + ", " +
                               std::to_string(options_.workers) + " decode workers)");
    tick();
  }

  // Sets up the inotify watch; false (rescan + settle only) when inotify is unavailable.
  bool open_watch() {
    const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
      spdlog::warn("driver {}: inotify unavailable ({}), using rescan only", reporter_.driver_id(),
                   std::strerror(errno));
      tracker_.forget_writers();
      return false;
    }
    if (inotify_add_watch(fd, options_.spool_dir.c_str(), kWatchMask) < 0) {
      spdlog::warn("driver {}: inotify watch on {} failed ({}), using rescan only",
                   reporter_.driver_id(), options_.spool_dir, std::strerror(errno));
      ::close(fd);
      tracker_.forget_writers();
      return false;
    }
    watch_.assign(fd);
    read_events();
    return true;
  }

  void close_watch() {
    error_code ignored;
    watch_.close(ignored);
  }

  // Reports the transition to down once (repeated failures only at debug) and retries.
  void fail(const std::string& reason) {
    close_watch();
    tick_timer_.cancel();
    if (state_ == State::down) {
      spdlog::debug("driver {}: still down: {}", reporter_.driver_id(), reason);
    } else {
      reporter_.status(false, reason);
    }
    state_ = State::down;
    retry_timer_.expires_after(backoff_.next());
    retry_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
      if (!ec && self->running_) self->open_now();
    });
  }

  void read_events() {
    watch_.async_read_some(asio::buffer(events_),
                           [self = shared_from_this()](const error_code& ec, std::size_t n) {
                             if (ec == asio::error::operation_aborted || !self->running_) return;
                             if (ec) {
                               spdlog::warn("driver {}: inotify read: {}; using rescan only",
                                            self->reporter_.driver_id(), ec.message());
                               self->close_watch();
                               self->tracker_.forget_writers();
                               return;
                             }
                             if (self->parse_events(n)) self->read_events();
                           });
  }

  // Applies the events in events_[0, n); false when the directory itself went away.
  bool parse_events(std::size_t n) {
    std::size_t offset = 0;
    while (offset + sizeof(inotify_event) <= n) {
      inotify_event event{};
      std::memcpy(&event, events_.data() + offset, sizeof(event));
      const char* name_start = events_.data() + offset + sizeof(inotify_event);
      const std::string name(name_start, ::strnlen(name_start, event.len));
      offset += sizeof(inotify_event) + event.len;
      if (event.mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
        fail(options_.spool_dir + ": directory removed or moved");
        return false;
      }
      if (event.mask & IN_Q_OVERFLOW) {
        tracker_.forget_writers();  // lost events: settle everything by size/mtime
        continue;
      }
      if (event.mask & IN_ISDIR) continue;
      if (event.mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
        tracker_.on_complete(name);
      } else if (event.mask & (IN_CREATE | IN_MODIFY)) {
        tracker_.on_writing(name);
      } else if (event.mask & (IN_DELETE | IN_MOVED_FROM)) {
        tracker_.on_gone(name);
      }
    }
    dispatch();
    return true;
  }

  // Lists the directory, settles files by size/mtime, and schedules the next listing.
  void tick() {
    if (!running_ || state_ != State::up) return;
    std::error_code ec;
    auto files = list_spool_files(options_.spool_dir, ec);
    if (ec) {
      fail(options_.spool_dir + ": " + ec.message());
      return;
    }
    tracker_.on_listing(files, std::chrono::steady_clock::now());
    dispatch();
    auto next = options_.rescan;
    if (tracker_.settling()) {
      next = std::min(next, std::max(kMinTick, options_.settle / kSettleChecksPerPeriod));
    }
    tick_timer_.expires_after(next);
    tick_timer_.async_wait([self = shared_from_this()](const error_code& wait_ec) {
      if (!wait_ec) self->tick();
    });
  }

  // Hands complete files to the worker pool while the bounded queue has room.
  void dispatch() {
    if (!running_) return;
    const std::size_t room =
        options_.queue_limit - std::min(options_.queue_limit, tracker_.in_flight());
    for (auto& name : tracker_.take_ready(room)) {
      std::string path = (fs::path(options_.spool_dir) / name).string();
      asio::post(pool_, [weak = weak_from_this(), decoder = decoder_, io = io_.get_executor(),
                         name = std::move(name), path = std::move(path)]() mutable {
        Decoded decoded{std::move(name), std::move(path), {}, false};
        decoded.result = decoder->decode_file(decoded.path);
        std::error_code ec;
        decoded.vanished = decoded.result.error && !fs::exists(decoded.path, ec);
        asio::post(io, [weak, decoded = std::move(decoded)]() mutable {
          if (auto self = weak.lock()) self->on_decoded(std::move(decoded));
        });
      });
    }
  }

  void on_decoded(Decoded decoded) {
    if (!running_) return;  // the file stays in the spool directory
    if (decoded.vanished) {
      spdlog::debug("driver {}: {} vanished before decoding", reporter_.driver_id(), decoded.path);
      tracker_.done(decoded.name);
    } else if (decoded.result.error) {
      report_unreadable(decoded);
    } else {
      report_codes(decoded);
    }
    dispatch();
  }

  void report_unreadable(const Decoded& decoded) {
    ++counters_.unreadable;
    std::error_code ec;
    const std::string moved = move_into(decoded.path, options_.failed_dir, ec);
    finish_file(decoded.name, decoded.path, ec);
    ReadError error;
    error.time_ms = now_utc_ms();
    error.kind = "image_unreadable";
    error.message = "cannot decode image file " + decoded.path + ": " + *decoded.result.error +
                    (ec ? "; could not move it to " + options_.failed_dir + ": " + ec.message()
                        : "; moved to " + moved);
    error.data = decoded.path;
    std::vector<FramerOutput> outputs{std::move(error)};
    reporter_.deliver(outputs);
  }

  void report_codes(const Decoded& decoded) {
    auto outputs = new_reads(decoded.result.codes, filter_, counters_);
    if (decoded.result.codes.empty()) {
      spdlog::info("driver {}: no readable code in {} ({} of {} images without code)",
                   reporter_.driver_id(), decoded.path, counters_.no_code, counters_.images);
    } else {
      spdlog::debug("driver {}: {}: {} codes, {} new", reporter_.driver_id(), decoded.path,
                    decoded.result.codes.size(), outputs.size());
    }
    reporter_.deliver(outputs);
    std::error_code ec;
    if (options_.after == AfterDecode::remove) {
      fs::remove(decoded.path, ec);
    } else {
      move_into(decoded.path, options_.done_dir, ec);
    }
    finish_file(decoded.name, decoded.path, ec);
  }

  // Forgets a processed file, or holds it (never decoded twice) when it could not be moved.
  void finish_file(const std::string& name, const std::string& path, const std::error_code& ec) {
    if (!ec) {
      tracker_.done(name);
      return;
    }
    spdlog::error("driver {}: cannot move or delete {}: {}; it stays and is not decoded again",
                  reporter_.driver_id(), path, ec.message());
    tracker_.hold(name);
  }

  asio::io_context& io_;
  ReadReporter reporter_;
  CameraOptions options_;
  std::shared_ptr<const BarcodeDecoder> decoder_;
  asio::thread_pool pool_;
  asio::posix::stream_descriptor watch_;
  asio::steady_timer tick_timer_;
  asio::steady_timer retry_timer_;
  Backoff backoff_;
  SpoolTracker tracker_;
  RepeatFilter filter_;
  CameraCounters counters_;
  alignas(inotify_event) std::array<char, kEventBufferBytes> events_{};
  State state_ = State::unknown;
  bool running_ = false;
};

SpoolCamera::SpoolCamera(const DriverContext& context, CameraOptions options)
    : SessionDriver(std::make_shared<Session>(context, std::move(options))) {}

CameraCounters SpoolCamera::counters() const {
  return session_as<Session>().counters();
}

DriverType camera_type() {
  return DriverType{
      "camera",
      "Barcodes in camera snapshots (uploaded into a spool directory or polled over HTTP), "
      "decoded with ZXing",
      [](config::MapReader& keys) -> DriverFactory {
        CameraOptions options;
        read_camera_options(keys, options);
        return [options](const DriverContext& context) -> std::unique_ptr<Driver> {
          if (!options.snapshot_url.empty()) return std::make_unique<HttpCamera>(context, options);
          return std::make_unique<SpoolCamera>(context, options);
        };
      }};
}

}  // namespace dockgate::drivers

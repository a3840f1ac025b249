// SPDX-License-Identifier: Apache-2.0
#include "drivers/llrp/llrp_driver.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <limits>
#include <utility>

#include "agent/clock.hpp"
#include "drivers/common/read_reporter.hpp"
#include "drivers/llrp/pass_tracker.hpp"
#include "drivers/llrp/reader_registry.hpp"

namespace dockgate::drivers {
namespace {

llrp::ReaderLinkOptions link_options(const LlrpOptions& o) {
  llrp::ReaderLinkOptions l;
  l.host = o.host;
  l.port = o.port;
  l.rospec_mode =
      o.rospec == RospecMode::keep ? llrp::RospecMode::keep : llrp::RospecMode::configure;
  l.reset_to_factory = o.reset_to_factory;
  // One ROSpec over every antenna, shared by the doors on this reader: each door keeps
  // its own antennas' sightings (LLRP 1.0.1 section 10.2.2, AntennaID 0 = all).
  l.keepalive = o.keepalive;
  l.missed_keepalives = o.missed_keepalives;
  l.connect_timeout = o.connect_timeout;
  l.reconnect_min = o.reconnect_min;
  l.reconnect_max = o.reconnect_max;
  return l;
}

llrp::PassSettings pass_settings(const LlrpOptions& o, const std::string& location) {
  llrp::PassSettings s;
  s.pass_gap_ms = o.pass_gap.count();
  s.max_pass_ms = o.max_pass.count();
  s.stage_hold_ms = o.stage_hold.count();
  s.rssi_min_dbm = o.rssi_min;
  s.default_location = location;
  for (const auto& a : o.antennas) s.antennas.push_back({a.port, location, a.role});
  s.schemes = o.schemes;
  s.filter_values = o.filter_values;
  s.unknown_epc = o.reject_unknown_epc ? llrp::UnknownEpc::reject : llrp::UnknownEpc::keep;
  return s;
}

std::string to_hex(const std::vector<std::uint8_t>& bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xF];
  }
  return out;
}

Travel travel_of(llrp::Direction d) {
  switch (d) {
    case llrp::Direction::inbound:
      return Travel::inbound;
    case llrp::Direction::outbound:
      return Travel::outbound;
    case llrp::Direction::none:
      break;
  }
  return Travel::unknown;
}

std::string antenna_list(const LlrpOptions& o) {
  if (o.antennas.empty()) return "all antennas";
  std::string s = "antennas ";
  for (std::size_t i = 0; i < o.antennas.size(); ++i) {
    if (i != 0) s += ',';
    s += std::to_string(o.antennas[i].port);
  }
  return s;
}

}  // namespace

class LlrpDriver::Session : public DriverSession, public std::enable_shared_from_this<Session> {
 public:
  Session(const DriverContext& context, LlrpOptions options)
      : io_(context.io),
        reporter_(context.sink, context.id, context.location_id),
        location_id_(context.location_id),
        options_(std::move(options)),
        tracker_(pass_settings(options_, location_id_)),
        timer_(context.io) {}

  void start() override {
    if (running_) return;
    running_ = true;
    std::weak_ptr<Session> weak = weak_from_this();
    llrp::ReaderLinkCallbacks callbacks;
    callbacks.on_tags = [weak](std::vector<llrp::TagSighting>&& tags, std::int64_t received_ms) {
      if (auto self = weak.lock()) self->on_tags(tags, received_ms);
    };
    callbacks.on_error = [weak](const std::string& kind, const std::string& message,
                                const std::string& raw) {
      if (auto self = weak.lock(); self && self->running_)
        self->reporter_.error(kind, message, raw);
    };
    callbacks.on_status = [weak](bool up, const std::string& detail) {
      if (auto self = weak.lock()) self->on_status(up, detail);
    };
    subscription_ = llrp::subscribe_reader(io_, link_options(options_), std::move(callbacks));
  }

  void stop(bool report) override {
    if (!running_) return;
    running_ = false;
    timer_.cancel();
    // Passes in progress are reported now: a tag read before the stop is not lost.
    if (report) deliver(tracker_.flush());
    llrp::unsubscribe_reader(subscription_);
    if (report && up_) reporter_.status(false, reader_uri() + " stopped");
    up_ = false;
  }

 private:
  [[nodiscard]] std::string reader_uri() const { return "llrp://" + llrp_reader_key(options_); }

  void on_tags(const std::vector<llrp::TagSighting>& tags, std::int64_t received_ms) {
    if (!running_) return;
    for (const auto& t : tags) tracker_.on_sighting(t, received_ms);
    // Usually only a check that no pass ended yet; a pass ends by silence, so the timer does it.
    deliver(tracker_.advance(received_ms));
    arm_timer();
  }

  void on_status(bool up, const std::string& detail) {
    if (!running_ || up == up_) return;
    up_ = up;
    reporter_.status(up, up ? reader_uri() + " " + antenna_list(options_) + ": " + detail
                            : reader_uri() + ": " + detail);
  }

  void arm_timer() {
    const std::int64_t deadline = tracker_.next_deadline();
    if (deadline == std::numeric_limits<std::int64_t>::max()) return;
    if (timer_armed_for_ == deadline) return;
    timer_armed_for_ = deadline;
    const std::int64_t wait = std::max<std::int64_t>(deadline - now_utc_ms(), 0) + 1;
    timer_.expires_after(std::chrono::milliseconds(wait));
    timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self || !self->running_) return;
      self->timer_armed_for_ = 0;
      self->deliver(self->tracker_.advance(now_utc_ms()));
      self->arm_timer();
    });
  }

  void deliver(std::vector<llrp::Pass> passes) {
    if (passes.empty()) return;
    std::vector<FramerOutput> out;
    out.reserve(passes.size());
    for (auto& p : passes) {
      const std::string hex = to_hex(p.epc);
      if (p.status != llrp::PassStatus::ok) {
        ReadError e;
        e.time_ms = p.first_seen_ms;
        e.kind =
            p.status == llrp::PassStatus::unknown_scheme ? "unknown_epc_scheme" : "invalid_epc";
        e.message = p.error;
        e.data = hex;
        e.fields = {{"tagUri", p.decoded.tag_uri}, {"antennaId", std::to_string(p.antenna_id)}};
        out.emplace_back(std::move(e));
        continue;
      }
      TagFacts facts;
      facts.epc_hex = hex;
      facts.epc_bits = p.epc_bits;
      facts.antenna_id = p.antenna_id;
      facts.peak_rssi_dbm = p.peak_rssi_dbm;
      facts.read_count = static_cast<std::uint32_t>(
          std::min<std::uint64_t>(p.read_count, std::numeric_limits<std::uint32_t>::max()));
      facts.first_seen_ms = p.first_seen_ms;
      facts.last_seen_ms = p.last_seen_ms;
      facts.travel = travel_of(p.direction);
      ScanRead read;
      read.time_ms = p.first_seen_ms;
      read.data = hex;
      read.tag = std::move(facts);
      out.emplace_back(std::move(read));
    }
    reporter_.deliver(out);
  }

  boost::asio::io_context& io_;
  ReadReporter reporter_;
  std::string location_id_;
  LlrpOptions options_;
  llrp::PassTracker tracker_;
  boost::asio::steady_timer timer_;
  std::int64_t timer_armed_for_ = 0;
  llrp::ReaderSubscription subscription_;
  bool running_ = false;
  bool up_ = false;
};

LlrpDriver::LlrpDriver(const DriverContext& context, LlrpOptions options)
    : SessionDriver(std::make_shared<Session>(context, std::move(options))) {}

DriverType llrp_type() {
  return DriverType{
      "llrp",
      "UHF RFID portal: one dock door's antennas on an LLRP 1.0.1 reader (Impinj, Zebra, ...); "
      "one milestone per tag pass; entries on one reader share its connection",
      [](config::MapReader& keys) -> DriverFactory {
        LlrpOptions options;
        read_llrp_options(keys, options);
        return [options](const DriverContext& context) -> std::unique_ptr<Driver> {
          return std::make_unique<LlrpDriver>(context, options);
        };
      }};
}

}  // namespace dockgate::drivers

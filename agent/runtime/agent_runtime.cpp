// SPDX-License-Identifier: Apache-2.0
#include "agent/runtime/agent_runtime.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "agent/clock.hpp"
#include "agent/core/time_format.hpp"
#include "agent/epcis/document.hpp"
#include "agent/epcis/object_event.hpp"
#include "agent/runtime/systemd_notify.hpp"
#include "agent/version.hpp"

namespace dockgate::runtime {
namespace {

constexpr auto kHousekeepingPeriod = std::chrono::seconds(1);
constexpr auto kDrainOnStop = std::chrono::milliseconds(1500);
constexpr std::uint64_t kPlanDirPeriodTicks = 5;  // plans.dir is read every 5 s
// Outbox state key: the rejected_total already announced by buffer_full exceptions (written
// in the same transaction as the exception, so each rejection is announced exactly once).
constexpr const char* kRejectedReportedKey = "buffer/rejected_reported";

std::string make_message(std::span<const buffer::StoredRecord> rows) {
  if (rows.empty()) return {};
  if (rows.front().channel == buffer::Channel::exception) return rows.front().payload;
  std::vector<const std::string*> events;
  events.reserve(rows.size());
  for (const auto& r : rows) events.push_back(&r.payload);
  return epcis::make_document(events, now_utc_ms());
}

epcis::Direction door_direction(const std::string& configured) {
  if (configured == "outbound") return epcis::Direction::outbound;
  if (configured == "both") return epcis::Direction::both;
  return epcis::Direction::inbound;
}

}  // namespace

PipelineSettings pipeline_settings(const config::AgentConfig& cfg) {
  PipelineSettings s;
  s.site_id = cfg.site.id;
  s.site_gln = cfg.site.gln;
  s.gateway_id = cfg.gateway.id;
  for (const auto& l : cfg.locations) {
    s.doors.push_back({l.id, door_direction(l.direction), l.gln_extension});
  }
  for (const auto& p : cfg.patterns) s.patterns.push_back({p.name, p.regex, p.uri});
  s.dedup_window = cfg.dedup_window;
  s.location_label_timeout = cfg.location_label_timeout;
  int fixed = 0;
  if (cfg.site.time_zone_offset != "local" && parse_tz_offset(cfg.site.time_zone_offset, fixed)) {
    s.tz_offset_minutes = [fixed](std::int64_t) { return fixed; };
  } else {
    s.tz_offset_minutes = [](std::int64_t t) { return local_tz_offset_minutes(t); };
  }
  return s;
}

DockSettings dock_settings(const config::AgentConfig& cfg) {
  const PipelineSettings p = pipeline_settings(cfg);
  DockSettings s;
  s.site_id = p.site_id;
  s.site_gln = p.site_gln;
  s.gateway_id = p.gateway_id;
  s.doors = p.doors;
  s.tz_offset_minutes = p.tz_offset_minutes;
  s.options = cfg.dock_sessions;
  for (const auto& d : cfg.drivers) {
    const drivers::DriverType* type = drivers::find_driver_type(d.type);
    if (d.enabled && type != nullptr && type->dock_sensor) s.sensor_doors.insert(d.location);
  }
  return s;
}

plans::PlanCheckSettings plan_check_settings(const config::AgentConfig& cfg) {
  const DockSettings d = dock_settings(cfg);
  plans::PlanCheckSettings s;
  s.site_id = d.site_id;
  s.site_gln = d.site_gln;
  s.gateway_id = d.gateway_id;
  s.doors = d.doors;
  s.sensor_doors = d.sensor_doors;
  s.options = cfg.plans;
  s.tz_offset_minutes = d.tz_offset_minutes;
  return s;
}

std::string plans_filter_for(const config::AgentConfig& cfg) {
  return cfg.mqtt.topic_prefix + "/" + cfg.site.id + "/" + cfg.gateway.id + "/plans/+";
}

uplink::Topics topics_for(const config::AgentConfig& cfg) {
  const std::string base = cfg.mqtt.topic_prefix + "/" + cfg.site.id + "/" + cfg.gateway.id;
  return {base + "/events", base + "/exceptions", base + "/status", base + "/cmd"};
}

ReadFlow::Marks read_flow_marks(std::size_t max_queued_records) {
  // Pause well before the outbox's own cap, which rejects (it is for a failing disk).
  ReadFlow::Marks m;
  m.high = std::clamp<std::size_t>(max_queued_records / 2, 1, m.high);
  m.low = m.high / 4;
  m.trim_after = std::max<std::size_t>(m.high / 2, 1);
  return m;
}

AgentRuntime::AgentRuntime(config::AgentConfig cfg)
    : cfg_(std::move(cfg)),
      signals_(io_, SIGINT, SIGTERM),
      reload_signal_(io_, SIGHUP),
      housekeeping_(io_),
      pipeline_(pipeline_settings(cfg_)),
      dock_(dock_settings(cfg_)),
      plans_(plan_check_settings(cfg_), &dock_),
      limiter_(cfg_.exception_limit),  // NOLINT(bugprone-throw-keyword-missing): not an exception
      flow_(
          io_, [this] { return outbox_ ? outbox_->queue_level() : buffer::Outbox::QueueLevel{}; },
          read_flow_marks(cfg_.buffer.max_queued_records)) {
  // Reads go through the plan checks, which let the dock sessions decorate first; the
  // sessions report each visit's start and end back to the plan checks.
  pipeline_.set_decorator(&plans_);
  dock_.set_visit_observer(&plans_);
  if (!cfg_.plans.dir.empty()) plan_dir_.emplace(cfg_.plans.dir);
}

AgentRuntime::~AgentRuntime() {
  shutdown();
}

int AgentRuntime::run() {
  buffer::OpenReport report;
  try {
    outbox_ = buffer::Outbox::open(cfg_.buffer, &report);
  } catch (const buffer::OutboxError& e) {
    spdlog::critical("cannot open buffer {}: {}", cfg_.buffer.path, e.what());
    return 1;
  }
  if (auto it = report.state.find(kRejectedReportedKey); it != report.state.end()) {
    rejected_reported_ = std::strtoull(it->second.c_str(), nullptr, 10);
  }
  rejected_total_ = outbox_->stats().rejected_total;
  for (const auto& problem : dock_.restore(report.state)) spdlog::warn("{}", problem);
  load_stored_plans(report);
  store_bootstrap_state();
  snapshot_dock_status();
  spdlog::info("buffer {}: {} pending, next gatewaySeq {}", cfg_.buffer.path,
               report.pending_at_start, report.next_seq);

  if (!start_publisher()) {
    outbox_->close();
    return 1;
  }
  if (report.recovered_corrupt) report_buffer_recovery(report);
  scan_plan_dir();  // plans on disk are in force before the first read
  start_drivers();
  start_metrics();
  wait_for_signals();
  schedule_housekeeping();
  notify_ready();
  spdlog::info("dockgate {} running: site {} gateway {}, {} driver(s)", kVersion, cfg_.site.id,
               cfg_.gateway.id, drivers_.size());
  io_.run();
  shutdown();
  return 0;
}

// Also used by config_reload.cpp.
std::unique_ptr<uplink::Publisher> make_publisher(const config::AgentConfig& cfg,
                                                  buffer::Outbox& outbox,
                                                  uplink::StatusExtraFn status_extra,
                                                  uplink::MessageFn on_plan) {
  // An empty client_id becomes "dockgate-{site}-{gateway}" in the uplink
  // (effective_client_id): gateway ids repeat across sites, client ids must not.
  uplink::Subscriptions subs;
  subs.filters = {plans_filter_for(cfg)};
  subs.on_message = std::move(on_plan);
  return uplink::Publisher::create(cfg.mqtt, topics_for(cfg), kVersion, outbox, cfg.buffer.path,
                                   make_message, std::move(status_extra), std::move(subs));
}

bool AgentRuntime::start_publisher() {
  try {
    publisher_ = make_publisher(
        cfg_, *outbox_, [this] { return status_extra(); },
        [this](uplink::InboundMessage m) { on_plan_message(std::move(m)); });
  } catch (const std::exception& e) {  // bad URI, unreadable password or TLS file
    spdlog::critical("cannot set up the MQTT uplink to {}: {}", cfg_.mqtt.uri, e.what());
    return false;
  }
  listen_for_commits();
  publisher_->start();
  return true;
}

void AgentRuntime::listen_for_commits() {
  outbox_->set_commit_listener(
      [this, pub = publisher_.get()](const std::vector<buffer::StoredRecord>& rows) {
        std::uint64_t exceptions = 0;
        for (const auto& r : rows) exceptions += r.channel == buffer::Channel::exception ? 1 : 0;
        committed_exceptions_.fetch_add(exceptions, std::memory_order_relaxed);
        committed_events_.fetch_add(rows.size() - exceptions, std::memory_order_relaxed);
        pub->notify_committed(rows);
      });
}

void AgentRuntime::start_drivers() {
  for (const auto& d : cfg_.drivers) {
    if (!d.enabled) continue;
    drivers_.push_back(d.factory(drivers::DriverContext{io_, *this, d.id, d.location}));
    drivers_.back()->start();
    spdlog::info("driver {} ({}) started at {}", d.id, d.type, d.location);
  }
}

void AgentRuntime::stop_drivers() {
  // Complete frames still reach the sink (the current pipeline) before stop() returns.
  for (auto& d : drivers_) d->stop();
  drivers_.clear();
}

void AgentRuntime::wait_for_signals() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    spdlog::info("signal {} received: stopping", signo);
    shutdown();
  });
  arm_reload();
}

void AgentRuntime::arm_reload() {
  reload_signal_.async_wait([this](const boost::system::error_code& ec, int) {
    if (ec || stopping_) return;
    reload();
    if (!stopping_) arm_reload();
  });
}

void AgentRuntime::shutdown() {
  if (stopping_) return;
  stopping_ = true;
  notify_stopping();
  housekeeping_.cancel();
  flow_.stop();
  signals_.cancel();
  reload_signal_.cancel();
  metrics_http_.reset();
  // Drivers first: their last complete frames still reach the sink and the outbox queue.
  for (auto& d : drivers_) d->stop();
  if (publisher_) publisher_->stop(kDrainOnStop);
  if (outbox_) outbox_->close();  // commits what is queued and applies the last acks
  drivers_.clear();
  io_.stop();
  spdlog::info("dockgate stopped");
}

void AgentRuntime::store(PipelineOutput out, std::vector<buffer::PlanWrite> plan_writes) {
  if (stopping_ && !outbox_) return;
  std::vector<PipelineOutput> followups = std::move(out.followups);
  buffer::PendingRecord rec;
  rec.channel =
      out.kind == PipelineOutput::Kind::event ? buffer::Channel::event : buffer::Channel::exception;
  rec.created_ms = out.time_ms;
  if (!out.open_json.empty()) {  // empty: a state-only change (see PipelineOutput)
    rec.render = [open = std::move(out.open_json), key = out.seq_key](std::uint64_t seq) {
      return epcis::close_with_seq(open, key, seq);
    };
  }
  for (auto& s : out.state) {
    rec.state.push_back({std::move(s.key), std::move(s.value), s.prefix});
  }
  rec.plans = std::move(plan_writes);
  rec.on_done = [this, loc = std::move(out.location_id), feedback = std::move(out.feedback)](
                    bool committed, std::uint64_t) {
    if (!committed) {
      const auto total = rejected_.fetch_add(1, std::memory_order_relaxed) + 1;
      // One line per 10 s at most: a full disk under a flood rejects thousands per second,
      // and the exact count is in the status and the buffer_full exception anyway.
      const std::int64_t now = now_utc_ms();
      std::int64_t last = last_reject_log_ms_.load(std::memory_order_relaxed);
      if (now - last >= 10'000 && last_reject_log_ms_.compare_exchange_strong(last, now)) {
        spdlog::error(
            "read at {} rejected: buffer full (see buffer.max_bytes / disk space); "
            "{} read(s) rejected since start",
            loc, total);
      }
      return;
    }
    // Green means "on disk": only now may the signal tower say the scan counted.
    if (!feedback.empty()) {
      boost::asio::post(io_, [this, loc, feedback] { pulse(loc, feedback); });
    }
  };
  outbox_->append(std::move(rec));
  flow_.after_append();
  {
    std::lock_guard lock(status_mutex_);
    counters_snapshot_ = pipeline_.counters();
    suppressed_snapshot_ = pipeline_.dedup().suppressed_total();
  }
  for (auto& f : followups) store(std::move(f));
}

void AgentRuntime::store_bootstrap_state() {
  // Queued before any signal can arrive: the id epochs are committed before their first use.
  for (auto& o : dock_.bootstrap_state()) {
    o.time_ms = now_utc_ms();
    store(std::move(o));
  }
}

void AgentRuntime::store_all(std::vector<PipelineOutput> outs) {
  for (auto& o : outs) store(std::move(o));
}

void AgentRuntime::pulse(const std::string& location_id,
                         const std::vector<FeedbackSignal>& signals) {
  if (stopping_) return;
  for (FeedbackSignal s : signals) {
    const Feedback request{location_id, s};
    for (auto& d : drivers_) d->feedback(request);
  }
}

void AgentRuntime::snapshot_dock_status() {
  if (dock_.changes() == dock_changes_seen_) return;
  dock_changes_seen_ = dock_.changes();
  std::string text =
      dock_.status_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lock(status_mutex_);
  dock_snapshot_ = std::move(text);
}

void AgentRuntime::on_read(ScanRead read) {
  count_driver(read.driver_id, false);
  const std::uint64_t labels_before = pipeline_.counters().location_scans;
  auto out = pipeline_.on_read(read);
  if (!out && pipeline_.counters().location_scans != labels_before) {
    if (auto place = pipeline_.scanner_place(read.driver_id, read.time_ms)) {
      spdlog::info("{}: door label scanned; its reads count at {} from now on", read.driver_id,
                   place->location_id);
    }
    return;
  }
  if (!out) {
    spdlog::debug("repeat read suppressed at {}: {}", read.location_id, read.driver_id);
    std::lock_guard lock(status_mutex_);
    suppressed_snapshot_ = pipeline_.dedup().suppressed_total();
    return;
  }
  if (out->kind == PipelineOutput::Kind::exception) {
    if (store_limited(std::move(*out), read.driver_id, read.data)) {
      spdlog::warn("invalid scan at {} from {}: see exceptions topic", read.location_id,
                   read.driver_id);
    }
    snapshot_dock_status();
    return;
  }
  store(std::move(*out));
  snapshot_dock_status();
}

bool AgentRuntime::ready_for_reads(std::function<void()> resume) {
  return stopping_ ? true : flow_.ready(std::move(resume));
}

void AgentRuntime::on_read_error(ReadError error) {
  count_driver(error.driver_id, true);
  if (store_limited(pipeline_.on_read_error(error), error.driver_id, error.data)) {
    spdlog::warn("read error at {} from {}: {} ({})", error.location_id, error.driver_id,
                 error.message, error.kind);
  }
}

bool AgentRuntime::store_limited(PipelineOutput out, const std::string& driver_id,
                                 const std::string& raw) {
  // An output carrying state or followups is part of a larger fact: never held back.
  const bool plain = out.state.empty() && out.followups.empty();
  if (!plain || limiter_.admit(driver_id, out.location_id, out.exception_type, out.time_ms, raw,
                               out.exception_reason)) {
    store(std::move(out));
    return true;
  }
  const auto& b = limiter_.babbling().at(driver_id);
  if (b.suppressed == 1) {
    spdlog::warn(
        "driver {} is babbling: {} exceptions beyond {} per {} ms are counted, not "
        "published one by one",
        driver_id, out.exception_type, cfg_.exception_limit.burst,
        cfg_.exception_limit.interval.count());
  }
  std::lock_guard lock(status_mutex_);
  babbling_snapshot_ = limiter_.babbling();
  counters_snapshot_ = pipeline_.counters();  // held back, yet counted as invalid / read error
  return false;
}

void AgentRuntime::on_device_status(DeviceStatus status) {
  bool publish_up = false;
  {
    std::lock_guard lock(status_mutex_);
    auto& d = devices_[status.driver_id];
    const bool known = d.since_ms != 0;
    const bool changed = !known || d.up != status.up;
    d.detail = status.detail;
    if (!changed) return;
    d.up = status.up;
    d.since_ms = status.time_ms;
    if (status.up) {
      if (d.grace) d.grace->cancel();
      d.grace.reset();
      publish_up = d.down_published;  // only an outage that was reported gets an "up"
      d.down_published = false;
    }
  }
  if (status.up) {
    spdlog::info("device {} up: {}", status.driver_id, status.detail);
    if (publish_up) store(pipeline_.on_device_status(status));
    return;
  }
  spdlog::warn("device {} down: {}", status.driver_id, status.detail);
  publish_down_after_grace(status);
}

// Short outages (a cable wiggle, a scanner that connects per scan) are logged only; a device
// still down after device_down_grace becomes a device_down exception event.
void AgentRuntime::publish_down_after_grace(const DeviceStatus& status) {
  auto timer = std::make_shared<boost::asio::steady_timer>(io_, cfg_.device_down_grace);
  {
    std::lock_guard lock(status_mutex_);
    devices_[status.driver_id].grace = timer;
  }
  timer->async_wait([this, status, timer](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    {
      std::lock_guard lock(status_mutex_);
      auto& d = devices_[status.driver_id];
      if (d.up || d.grace != timer) return;
      d.grace.reset();
      d.down_published = true;
    }
    store(pipeline_.on_device_status(status));
  });
}

void AgentRuntime::schedule_housekeeping() {
  housekeeping_.expires_after(kHousekeepingPeriod);
  housekeeping_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    const auto st = publisher_->state();
    const auto stats = outbox_->stats();
    {
      std::lock_guard lock(status_mutex_);
      rejected_total_ = stats.rejected_total;
    }
    // Only with room in the memory queue: rejecting the report itself would count as one
    // more rejection and feed a loop.
    if (stats.rejected_total > rejected_reported_ &&
        stats.queued_records < cfg_.buffer.max_queued_records) {
      report_buffer_full(stats.rejected_total);
    }
    notify_status(std::string(st.connected ? "broker connected" : "broker disconnected") +
                  ", backlog " + std::to_string(stats.pending_count) + " event(s)");
    notify_watchdog();
    if (flow_.tick()) {
      spdlog::info("burst drained ({} read pause(s) so far): freed memory returned",
                   flow_.pauses());
    }
    const auto babbling_changes = limiter_.changes();
    for (const auto& summary : limiter_.tick(now_utc_ms())) {
      spdlog::warn("driver {}: {} {} exception(s) held back in the last window", summary.driver_id,
                   summary.suppressed, summary.kind);
      store(pipeline_.on_suppressed(summary));
    }
    if (limiter_.changes() != babbling_changes) {
      std::lock_guard lock(status_mutex_);
      babbling_snapshot_ = limiter_.babbling();
    }
    const std::int64_t now = now_utc_ms();
    auto alarms = dock_.on_tick(now);
    if (!alarms.empty()) {
      store_all(std::move(alarms));
      snapshot_dock_status();
    }
    plans_tick(now);
    if (!metrics_http_ && !cfg_.metrics.listen.empty() && plan_dir_ticks_ % 10 == 9) {
      start_metrics();  // the address was taken at start: try again
    }
    if (++plan_dir_ticks_ % kPlanDirPeriodTicks == 0) scan_plan_dir();
    schedule_housekeeping();
  });
}

void AgentRuntime::on_dock_signal(DockSignal signal) {
  spdlog::info("dock signal at {}: {} = {}{}", signal.location_id, signal.point, signal.value,
               signal.initial ? " (initial)" : "");
  count_driver(signal.driver_id, false);
  store_all(dock_.on_signal(signal));
  snapshot_dock_status();
}

std::string AgentRuntime::status_extra() {
  nlohmann::json j;
  std::lock_guard lock(status_mutex_);
  nlohmann::json devices = nlohmann::json::object();
  for (const auto& [id, d] : devices_) {
    devices[id] = {{"up", d.up}, {"detail", d.detail}, {"since", format_utc_ms(d.since_ms)}};
  }
  // A babbling device is up but useless: the alarm sits beside its up/down state.
  for (const auto& [id, b] : babbling_snapshot_) {
    devices[id]["alarm"] = "device_babbling";
    devices[id]["babbling"] = {{"since", format_utc_ms(b.since_ms)}, {"suppressed", b.suppressed}};
  }
  j["devices"] = std::move(devices);
  j["reads"] = counters_snapshot_.reads;
  j["events"] = counters_snapshot_.events;
  j["invalid"] = counters_snapshot_.invalid;
  j["readErrors"] = counters_snapshot_.read_errors;
  j["suppressedRepeats"] = suppressed_snapshot_;
  j["rejected"] = rejected_.load(std::memory_order_relaxed);
  j["rejectedTotal"] = rejected_total_;  // persistent: the outbox's meta.rejected_total
  if (!buffer_recovery_json_.empty()) {
    j["bufferRecovery"] = nlohmann::json::parse(buffer_recovery_json_, nullptr, false);
  }
  j["dockSessions"] = nlohmann::json::parse(dock_snapshot_, nullptr, false);
  j["plans"] = nlohmann::json::parse(plans_snapshot_, nullptr, false);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void AgentRuntime::report_buffer_recovery(const buffer::OpenReport& report) {
  const std::int64_t now = now_utc_ms();
  spdlog::error(
      "buffer {} was corrupt; moved aside to {}; {} pending rows salvaged, {} could not be "
      "read; gatewaySeq continues at {}",
      cfg_.buffer.path, report.moved_aside_to, report.salvaged, report.unrecoverable,
      report.next_seq);
  nlohmann::json j = {
      {"movedTo", report.moved_aside_to},      {"salvaged", report.salvaged},
      {"unrecoverable", report.unrecoverable}, {"previousLastSeq", report.previous_last_seq},
      {"nextGatewaySeq", report.next_seq},     {"time", format_utc_ms(now)}};
  {
    std::lock_guard lock(status_mutex_);
    buffer_recovery_json_ = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  store(pipeline_.on_gateway_problem(
      "buffer_corrupt",
      "the buffer file was corrupt and was replaced; " + std::to_string(report.salvaged) +
          " pending rows salvaged, " + std::to_string(report.unrecoverable) +
          " could not be read; gatewaySeq values up to " +
          std::to_string(report.previous_last_seq) + " are never reused",
      now, {{"movedTo", report.moved_aside_to}},
      {{"salvaged", report.salvaged},
       {"unrecoverable", report.unrecoverable},
       {"previousLastSeq", report.previous_last_seq}}));
}

void AgentRuntime::report_buffer_full(std::uint64_t rejected_total) {
  if (buffer_full_in_flight_.exchange(true)) return;  // one at a time: it carries the count
  const std::uint64_t newly = rejected_total - rejected_reported_;
  PipelineOutput out = pipeline_.on_gateway_problem(
      "buffer_full",
      std::to_string(newly) +
          " read(s) rejected: the buffer was full (disk space, buffer.max_bytes or "
          "buffer.max_queued_records)",
      now_utc_ms(), {}, {{"rejected", newly}, {"rejectedTotal", rejected_total}});
  buffer::PendingRecord rec;
  rec.channel = buffer::Channel::exception;
  rec.created_ms = out.time_ms;
  rec.render = [open = std::move(out.open_json), key = out.seq_key](std::uint64_t seq) {
    return epcis::close_with_seq(open, key, seq);
  };
  rec.state.push_back({kRejectedReportedKey, std::to_string(rejected_total)});
  rec.on_done = [this, rejected_total](bool committed, std::uint64_t) {
    boost::asio::post(io_, [this, committed, rejected_total] {
      if (committed) rejected_reported_ = std::max(rejected_reported_, rejected_total);
      buffer_full_in_flight_ = false;
    });
  };
  spdlog::warn("buffer full: {} read(s) rejected since the last report ({} in total)", newly,
               rejected_total);
  outbox_->append(std::move(rec));
}

}  // namespace dockgate::runtime

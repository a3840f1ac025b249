// SPDX-License-Identifier: Apache-2.0
// Publisher lifecycle: construction, the publisher thread, connect / reconnect with backoff,
// the retained status message and the graceful stop sequence.
#include <mqtt/exception.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <random>

#include "agent/clock.hpp"
#include "uplink/connect_setup.hpp"
#include "uplink/publisher_impl.hpp"
#include "uplink/status_payload.hpp"
#include "uplink/tls_check.hpp"

namespace dockgate::uplink {
namespace {

std::uint64_t random_seed() {
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

/// The will is registered with each CONNECT, so its timeMs is the time of that connect
/// attempt: a consumer reading the will knows the gateway was up from then on, and may have
/// been down since the broker published it.
std::string will_payload(const std::string& version, std::int64_t connect_ms) {
  StatusFigures f;
  f.online = false;
  f.version = version;
  f.ts_ms = connect_ms;
  f.reason = "connection lost";
  return status_json(f, "");
}

/// The caller's filters, then cmd/replay and cmd/status when commands are on.
std::vector<std::string> all_filters(const Subscriptions& subscriptions, const Topics& topics,
                                     const MqttOptions& options) {
  std::vector<std::string> filters = subscriptions.filters;
  if (options.commands && !topics.commands.empty()) {
    filters.push_back(topics.commands + "/replay");
    filters.push_back(topics.commands + "/status");
  }
  return filters;
}

}  // namespace

std::unique_ptr<Publisher> Publisher::create(MqttOptions options, Topics topics,
                                             std::string version, buffer::Outbox& outbox,
                                             const std::string& db_path, DocumentFn make_document,
                                             StatusExtraFn status_extra,
                                             Subscriptions subscriptions) {
  return std::make_unique<PublisherImpl>(std::move(options), std::move(topics), std::move(version),
                                         outbox, db_path, std::move(make_document),
                                         std::move(status_extra), std::move(subscriptions));
}

PublisherImpl::PublisherImpl(MqttOptions options, Topics topics, std::string version,
                             buffer::Outbox& outbox, const std::string& db_path,
                             DocumentFn make_document, StatusExtraFn status_extra,
                             Subscriptions subscriptions)
    : options_(std::move(options)),
      topics_(std::move(topics)),
      version_(std::move(version)),
      outbox_(outbox),
      make_document_(std::move(make_document)),
      status_extra_(std::move(status_extra)),
      uri_(parse_broker_uri(options_.uri)),
      limits_{options_.max_events_per_message, options_.max_message_bytes},
      filters_(all_filters(subscriptions, topics_, options_)),
      work_(boost::asio::make_work_guard(io_)),
      reconnect_timer_(io_),
      status_timer_(io_),
      poll_timer_(io_),
      pause_timer_(io_),
      stop_timer_(io_),
      stop_final_timer_(io_),
      subscribe_timer_(io_),
      bridge_(io_, BridgeHandlers{
                       [this](const ConnectResult& r) { on_connect(r); },
                       [this](const std::string& cause) { on_connection_lost(cause); },
                       [this](std::uint64_t id, const PublishResult& r) { on_publish(id, r); },
                       [this](std::uint64_t id, bool ok) { on_status(id, ok); },
                       [this](bool /*ok*/) { finish_stop(); },
                       [this](std::uint64_t id, const SubscribeResult& r) { on_subscribe(id, r); },
                   }),
      backoff_(options_.reconnect_min, options_.reconnect_max, random_seed()),
      reject_backoff_(options_.reconnect_min, options_.reconnect_max, random_seed()),
      subscribe_backoff_(options_.reconnect_min, options_.reconnect_max, random_seed()),
      granted_(filters_.size(), false),
      window_(options_.inflight_window) {
  validate_options(options_, uri_, topics_);
  validate_subscriptions(subscriptions);
  if (!make_document_) throw UplinkError("uplink: no DocumentFn given");
  reader_ = std::make_unique<buffer::OutboxReader>(db_path);
  try {
    client_ =
        std::make_unique<mqtt::async_client>(uri_.paho_uri, effective_client_id(options_, topics_),
                                             make_create_options(options_), nullptr);
  } catch (const mqtt::exception& e) {
    throw UplinkError("uplink.mqtt.uri \"" + options_.uri + "\": Paho refused it: " + e.what());
  }
  // Commands are the publisher's own business: handled on its thread, never passed on.
  bridge_.attach(*client_, [this, user = std::move(subscriptions.on_message)](InboundMessage m) {
    if (is_command(m.topic)) {
      boost::asio::post(io_, [this, m = std::move(m)]() mutable { on_command(std::move(m)); });
    } else if (user) {
      user(std::move(m));
    }
  });
  if (!uri_.tls && (!options_.ca_file.empty() || !options_.cert_file.empty())) {
    spdlog::warn("uplink: ca_file/cert_file are set but {} is not a TLS URI (ssl://, mqtts://)",
                 options_.uri);
  }
}

PublisherImpl::~PublisherImpl() {
  stop(std::chrono::milliseconds(0));
  bridge_.close();
  client_.reset();  // before the listeners and the io_context it posts to
}

void PublisherImpl::start() {
  std::lock_guard lock(lifecycle_mu_);
  if (started_) throw std::logic_error("uplink: Publisher::start() called twice");
  started_ = true;
  boost::asio::post(io_, [this] {
    try {
      const auto stats = reader_->stats();
      last_committed_seq_ = stats.last_seq;
      // Nothing pending: start after the last seq; otherwise the first read finds the lowest.
      read_cursor_ = stats.pending_count == 0 ? stats.last_seq + 1 : 0;
    } catch (const std::exception& e) {
      note_error(std::string("outbox stats unreadable at start: ") + e.what());
    }
    connect_now();
  });
  thread_ = std::thread([this] {
    // A handler that throws is a bug; log it and keep the publisher alive (run() resumes).
    while (true) {
      try {
        io_.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("uplink: unexpected error on the publisher thread: {}", e.what());
      }
    }
  });
}

void PublisherImpl::stop(std::chrono::milliseconds drain_timeout) {
  std::lock_guard lock(lifecycle_mu_);
  if (stopped_) return;
  stopped_ = true;
  bridge_.close_messages();  // no MessageFn call from here on (a running one is waited for)
  if (!started_) return;
  const auto deadline = Clock::now() + std::max(drain_timeout, std::chrono::milliseconds(0));
  boost::asio::post(io_, [this, deadline] { begin_stop(deadline); });
  thread_.join();
  bridge_.close();
  // A DISCONNECT that did not finish in time: dropping the client closes the socket and the
  // broker publishes the will (offline) instead.
  client_.reset();
  std::lock_guard state_lock(state_mu_);
  state_.connected = false;
  state_.inflight = 0;
}

void PublisherImpl::note_error(const std::string& message) {
  local_.last_error = message;
  if (message != last_logged_error_) {  // a refusing broker is logged once, not per retry
    spdlog::warn("uplink: {}", message);
    last_logged_error_ = message;
  } else {
    spdlog::debug("uplink: {}", message);
  }
  sync_state();
}

void PublisherImpl::connect_now() {
  if (stop_phase_ != StopPhase::running || connected_ || connecting_) return;
  try {
    auto opts =
        make_connect_options(options_, uri_, topics_.status, will_payload(version_, now_utc_ms()));
    connecting_ = true;
    client_->connect(std::move(opts), nullptr, bridge_.connect_listener());
  } catch (const UplinkError& e) {  // password file gone since start: retry later
    connecting_ = false;
    note_error(e.what());
    schedule_reconnect();
  } catch (const mqtt::exception& e) {
    connecting_ = false;
    note_error(std::string("connect to ") + options_.uri + " failed: " + e.what());
    schedule_reconnect();
  }
}

void PublisherImpl::schedule_reconnect() {
  if (stop_phase_ != StopPhase::running) return;
  const auto delay = backoff_.next();
  spdlog::debug("uplink: reconnect in {} ms (attempt {})", delay.count(), backoff_.attempt());
  reconnect_timer_.expires_after(delay);
  reconnect_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) connect_now();
  });
}

void PublisherImpl::on_connect(const ConnectResult& result) {
  connecting_ = false;
  if (!result.ok && stop_phase_ != StopPhase::running) {
    spdlog::debug("uplink: connect attempt ended while stopping (rc {})", result.rc);
    advance_stop();
    return;
  }
  if (!result.ok) {
    std::string tls_failure;
    if (uri_.tls && result.rc < 0) {
      // Paho says only "rc -1": find out what failed (blocks this thread for at most ~2 s).
      tls_failure = check_tls_files(options_);
      if (tls_failure.empty()) {
        tls_failure = probe_tls(
            options_, uri_,
            std::min<std::chrono::milliseconds>(options_.connect_timeout, std::chrono::seconds(2)));
      }
    }
    note_error(describe_connect_failure(result.rc, result.reason_code, tls_failure, uri_));
    schedule_reconnect();
    return;
  }
  connected_ = true;
  {
    std::lock_guard lock(live_mu_);
    live_accepting_ = true;
  }
  ++local_.connects;
  backoff_.reset();
  // MQTT 5 CONNACK limits (section 3.2.2.3.3 Receive Maximum, 3.2.2.3.6 Maximum Packet Size):
  // never more messages awaiting PUBACK than the broker takes, never a larger packet.
  window_ = options_.inflight_window;
  if (result.receive_maximum != 0 && result.receive_maximum < window_) {
    window_ = result.receive_maximum;
  }
  max_packet_ = result.maximum_packet_size;
  if (window_ != options_.inflight_window || max_packet_ != 0) {
    spdlog::info(
        "uplink: broker limits: Receive Maximum {}, Maximum Packet Size {}: in-flight "
        "window {}",
        result.receive_maximum,
        max_packet_ == 0 ? std::string("none") : std::to_string(max_packet_) + " B", window_);
  }
  last_logged_error_.clear();  // the same failure after a recovery is worth a log line again
  spdlog::info("uplink: connected to {} as {}", options_.uri,
               effective_client_id(options_, topics_));
  reset_cursor();  // re-send every un-acked row, in order
  paused_ = false;
  pause_timer_.cancel();
  if (stop_phase_ != StopPhase::running) {
    advance_stop();
    return;
  }
  acked_at_last_status_ = local_.acked_rows;
  last_status_at_ = Clock::now();
  publish_status(true, "");
  schedule_status_refresh();
  // A new connection (clean start, or a broker that lost its state) has no subscriptions:
  // subscribe again, which also brings the retained messages again. Not awaited.
  reset_subscriptions();
  subscribe_missing();
  pump();
}

void PublisherImpl::on_connection_lost(const std::string& cause) {
  if (!connected_) return;
  connected_ = false;
  {
    std::lock_guard lock(live_mu_);
    live_accepting_ = false;
    live_.clear();
    live_.shrink_to_fit();
    live_bytes_ = 0;
  }
  status_timer_.cancel();
  reset_cursor();
  reset_subscriptions();
  note_error("connection lost" + (cause.empty() ? std::string() : ": " + cause));
  if (stop_phase_ != StopPhase::running) {
    advance_stop();
    return;
  }
  schedule_reconnect();
}

std::uint64_t PublisherImpl::publish_status(bool online, const std::string& reason) {
  StatusFigures f;
  f.online = online;
  f.version = version_;
  f.ts_ms = now_utc_ms();
  f.reason = reason;
  try {
    const auto stats = reader_->stats();
    f.backlog = stats.pending_count;
    f.last_seq = stats.last_seq;
    f.retained = stats.retained_count;
    if (stats.oldest_created_ms) {
      f.oldest_unsent_age_ms = std::max<std::int64_t>(0, f.ts_ms - *stats.oldest_created_ms);
    }
  } catch (const std::exception& e) {
    note_error(std::string("status: outbox stats unreadable: ") + e.what());
  }
  const auto now = Clock::now();
  const double secs = std::chrono::duration<double>(now - last_status_at_).count();
  f.drain_rate =
      secs > 0.0 ? static_cast<double>(local_.acked_rows - acked_at_last_status_) / secs : 0.0;
  f.alarms.emplace();
  if (rejection_) f.alarms->push_back(*rejection_);
  if (too_large_) f.alarms->push_back(*too_large_);
  for (const auto& [filter, alarm] : subscribe_rejected_) f.alarms->push_back(alarm);
  f.publish_rejected_total = local_.publish_rejected_total;
  acked_at_last_status_ = local_.acked_rows;
  last_status_at_ = now;

  std::string payload;
  try {
    payload = status_json(f, status_extra_ ? status_extra_() : std::string());
  } catch (const std::exception& e) {
    note_error(std::string("status extra fields dropped: ") + e.what());
    payload = status_json(f, "");
  }
  const std::uint64_t id = next_status_id_++;
  try {
    client_->publish(mqtt::make_message(topics_.status, payload, 1, true),
                     PahoBridge::to_context(id), bridge_.status_listener());
  } catch (const mqtt::exception& e) {
    note_error(std::string("status publish failed: ") + e.what());
    return 0;
  }
  return id;
}

void PublisherImpl::on_status(std::uint64_t status_id, bool ok) {
  if (!ok) spdlog::debug("uplink: status message {} not acknowledged", status_id);
  if (status_id == offline_status_id_ && stop_phase_ == StopPhase::offline_status) {
    advance_stop();
  }
}

void PublisherImpl::schedule_status_refresh() {
  status_timer_.expires_after(options_.status_interval);
  status_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || !connected_ || stop_phase_ != StopPhase::running) return;
    publish_status(true, "");
    schedule_status_refresh();
  });
}

void PublisherImpl::begin_stop(Clock::time_point deadline) {
  stop_phase_ = StopPhase::draining;
  reconnect_timer_.cancel();
  status_timer_.cancel();
  poll_timer_.cancel();
  pause_timer_.cancel();
  subscribe_timer_.cancel();
  replay_timer_.cancel();  // a replay under way ends unanswered; the consumer asks again
  const auto now = Clock::now();
  const auto total = std::max(deadline - now, Clock::duration::zero());
  // Keep the last third (at most 2 s) for the offline status and the DISCONNECT.
  const auto reserve = std::min<Clock::duration>(total / 3, std::chrono::seconds(2));
  stop_deadline_ = deadline;
  drain_until_ = deadline - reserve;
  offline_until_ = deadline - reserve / 2;
  stop_final_timer_.expires_at(deadline);
  stop_final_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) finish_stop();
  });
  stop_timer_.expires_at(drain_until_);
  stop_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) advance_stop();
  });
  advance_stop();
}

void PublisherImpl::advance_stop() {
  const auto now = Clock::now();
  switch (stop_phase_) {
    case StopPhase::running:
    case StopPhase::done:
      return;
    case StopPhase::draining:
      if (connecting_ && now < drain_until_) return;  // its result calls us again
      if (!connected_) return finish_stop();
      if (!inflight_.empty() && now < drain_until_) return;  // the last PUBACK calls us again
      if (!inflight_.empty()) {
        spdlog::warn("uplink: stopping with {} messages un-acknowledged (they stay queued)",
                     inflight_.size());
      }
      stop_phase_ = StopPhase::offline_status;
      offline_status_id_ = publish_status(false, "stopped");
      if (offline_status_id_ != 0 && now < offline_until_) {
        stop_timer_.expires_at(offline_until_);
        stop_timer_.async_wait([this](const boost::system::error_code& ec) {
          if (!ec) advance_stop();
        });
        return;
      }
      [[fallthrough]];
    case StopPhase::offline_status: {
      stop_phase_ = StopPhase::disconnecting;
      stop_timer_.cancel();
      if (!connected_) return finish_stop();
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(stop_deadline_ - Clock::now());
      try {
        client_->disconnect(std::max<int>(0, static_cast<int>(left.count())), nullptr,
                            bridge_.disconnect_listener());
      } catch (const mqtt::exception& e) {
        spdlog::debug("uplink: disconnect: {}", e.what());
        finish_stop();
      }
      return;
    }
    case StopPhase::disconnecting:
      if (!connected_) finish_stop();  // lost meanwhile; else the result or final timer ends it
      return;
  }
}

void PublisherImpl::finish_stop() {
  if (stop_phase_ == StopPhase::done) return;
  stop_phase_ = StopPhase::done;
  for (auto* t : {&reconnect_timer_, &status_timer_, &poll_timer_, &pause_timer_, &stop_timer_,
                  &stop_final_timer_, &subscribe_timer_}) {
    t->cancel();
  }
  sync_state();
  work_.reset();
  io_.stop();
}

}  // namespace dockgate::uplink

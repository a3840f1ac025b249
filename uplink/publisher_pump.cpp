// SPDX-License-Identifier: Apache-2.0
// Publisher cursor and in-flight window: which rows go out next, PUBACK handling, resets.
#include <mqtt/exception.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cstdio>

#include "agent/clock.hpp"
#include "uplink/connect_setup.hpp"
#include "uplink/publisher_impl.hpp"

namespace dockgate::uplink {
namespace {

/// Live hand-off queue bounds: past them the queue is dropped and the rows are read from the
/// database instead (a burst or a long outage is a backlog, which the database serves well).
/// Kept small: memory must stay flat however large the backlog grows (RSS target 30 MB).
constexpr std::size_t kLiveMaxRows = 4'096;
constexpr std::size_t kLiveMaxBytes = std::size_t{4} * 1024 * 1024;
/// Upper bounds of `ready_` per refill (rows, payload bytes).
constexpr std::size_t kMaxReadyRows = 4'096;
constexpr std::size_t kMaxFetchBytes = std::size_t{4} * 1024 * 1024;
/// Safety net when idle: look into the database even without a commit notification.
constexpr std::chrono::milliseconds kIdlePoll{1'000};

std::string seq_range(const std::vector<std::uint64_t>& seqs) {
  if (seqs.empty()) return "-";
  return std::to_string(seqs.front()) + ".." + std::to_string(seqs.back());
}

/// Encoded size of a QoS 1 PUBLISH without properties (MQTT 5.0 section 3.3): fixed header
/// (1 byte + up to 4 of Remaining Length), topic (2 + length), packet id (2), property
/// length (1, no properties), payload. The upper bound of the Remaining Length is used.
std::size_t publish_packet_size(const std::string& topic, std::size_t payload_bytes) {
  return 1 + 4 + 2 + topic.size() + 2 + 1 + payload_bytes;
}

}  // namespace

void PublisherImpl::notify_committed(const std::vector<buffer::StoredRecord>& rows) {
  if (rows.empty()) return;
  std::size_t bytes = 0;
  for (const auto& r : rows) bytes += r.payload.size();
  bool kick = false;
  {
    std::lock_guard lock(live_mu_);
    // While disconnected every row waits in the database anyway: holding copies in memory
    // would only grow RSS with the outage.
    if (!live_accepting_ || live_.size() + rows.size() > kLiveMaxRows ||
        live_bytes_ + bytes > kLiveMaxBytes) {
      live_.clear();  // the database has them; the gap sends the reader there
      live_bytes_ = 0;
    } else {
      live_.insert(live_.end(), rows.begin(), rows.end());
      live_bytes_ += bytes;
    }
    live_last_seq_ = std::max(live_last_seq_, rows.back().seq);
    kick = !kick_pending_;
    kick_pending_ = true;
  }
  if (kick) {
    boost::asio::post(io_, [this] {
      {
        std::lock_guard lock(live_mu_);
        kick_pending_ = false;
      }
      pump();
    });
  }
}

void PublisherImpl::pump() {
  if (!connected_ || paused_ || stop_phase_ != StopPhase::running) {
    sync_state();
    return;
  }
  const std::uint32_t window = current_window();
  BatchLimits limits = limits_;
  if (max_packet_ != 0) {
    // Row payloads alone must fit the broker's Maximum Packet Size; the document wrapper is
    // checked once rendered (publish_rows splits further when needed).
    const std::size_t overhead = publish_packet_size(topics_.events, 0);
    const std::size_t budget = max_packet_ > overhead ? max_packet_ - overhead : 1;
    limits.max_bytes = static_cast<std::uint32_t>(std::min<std::size_t>(limits.max_bytes, budget));
  }
  while (inflight_.size() < window) {
    const auto free_slots = static_cast<std::uint32_t>(window - inflight_.size());
    const std::uint64_t next_seq = ready_.empty() ? read_cursor_ : ready_.front().seq;
    std::uint64_t waiting =
        last_committed_seq_ >= next_seq ? last_committed_seq_ - next_seq + 1 : 0;
    waiting = std::max<std::uint64_t>(waiting, ready_.size());
    const bool batching = is_backlog(waiting, free_slots, limits_.max_events);
    const std::size_t need = batching ? limits_.max_events : 1;
    if (ready_.size() < need) {
      const std::size_t want =
          batching
              ? std::min<std::size_t>(std::size_t{free_slots} * limits_.max_events, kMaxReadyRows)
              : free_slots;
      refill(want, false);
      if (!connected_ || paused_) break;
    }
    if (ready_.empty()) break;
    if (!publish_rows(plan_message(ready_, batching, limits))) break;
  }
  if (ready_.empty() && inflight_.size() < window) schedule_idle_poll();
  pump_replay();  // after the live rows: a replay only takes what they leave
  sync_state();
}

std::size_t PublisherImpl::take_live(std::size_t max_rows) {
  std::lock_guard lock(live_mu_);
  last_committed_seq_ = std::max(last_committed_seq_, live_last_seq_);
  while (!live_.empty() && live_.front().seq < read_cursor_) {
    live_bytes_ -= live_.front().payload.size();
    live_.pop_front();
  }
  std::size_t taken = 0;
  while (taken < max_rows && !live_.empty() && live_.front().seq == read_cursor_) {
    live_bytes_ -= live_.front().payload.size();
    ready_.push_back(std::move(live_.front()));
    live_.pop_front();
    ++read_cursor_;
    ++taken;
  }
  return taken;
}

void PublisherImpl::refill(std::size_t want_rows, bool force_db) {
  std::size_t have = ready_.size();
  have += take_live(want_rows > have ? want_rows - have : 0);
  if (have >= want_rows) return;
  // Not in memory (gap, overflow, restart, rewind after a reconnect): read the database,
  // which holds every committed row. Only when rows are known to exist, or when polling.
  if (!force_db && last_committed_seq_ < read_cursor_) return;
  std::vector<buffer::StoredRecord> rows;
  try {
    const std::size_t max_bytes =
        std::clamp<std::size_t>(std::size_t{options_.inflight_window} * limits_.max_bytes,
                                limits_.max_bytes, kMaxFetchBytes);
    rows = reader_->fetch(read_cursor_, want_rows - have, max_bytes);
  } catch (const std::exception& e) {
    note_error(std::string("outbox read failed: ") + e.what());
    pause_sending(options_.reconnect_max);
    return;
  }
  if (rows.empty()) {
    // Every row up to the last known commit is gone (acked before a rewind): skip them.
    read_cursor_ = std::max(read_cursor_, last_committed_seq_ + 1);
    return;
  }
  for (auto& r : rows) {
    if (r.seq < read_cursor_) continue;
    read_cursor_ = r.seq + 1;
    last_committed_seq_ = std::max(last_committed_seq_, r.seq);
    ready_.push_back(std::move(r));
  }
}

bool PublisherImpl::publish_rows(std::size_t count) {
  std::vector<buffer::StoredRecord> rows;
  rows.reserve(count);
  for (std::size_t i = 0; i < count; ++i) rows.push_back(std::move(ready_[i]));
  const auto restore = [&] {
    for (std::size_t i = 0; i < count; ++i) ready_[i] = std::move(rows[i]);
  };
  std::vector<std::uint64_t> seqs;
  seqs.reserve(count);
  for (const auto& r : rows) seqs.push_back(r.seq);

  std::string payload;
  try {
    payload = make_document_(std::span<const buffer::StoredRecord>(rows));
  } catch (const std::exception& e) {
    restore();
    note_error("document for rows " + seq_range(seqs) + " failed: " + e.what());
    if (count > 1) return publish_rows(1);  // isolate the row that cannot be rendered
    pause_sending(options_.reconnect_max);  // rows stay queued; retried after the pause
    return false;
  }

  const bool exception_channel = rows.front().channel == buffer::Channel::exception;
  const std::string& topic = exception_channel ? topics_.exceptions : topics_.events;
  const std::size_t packet = publish_packet_size(topic, payload.size());
  if (max_packet_ != 0 && packet > max_packet_) {
    restore();
    // A broker disconnects a client that sends a larger packet (MQTT 5.0 section 3.2.2.3.6):
    // send fewer rows as a smaller document instead.
    if (count > 1) return publish_rows(count / 2);
    on_too_large(ready_.front(), topic, packet);
    return false;
  }
  const std::uint64_t id = next_message_id_++;
  try {
    client_->publish(mqtt::make_message(topic, payload, 1, false), PahoBridge::to_context(id),
                     bridge_.publish_listener());
  } catch (const mqtt::exception& e) {
    restore();
    note_error(std::string("publish failed: ") + e.what());
    if (!client_->is_connected()) {
      on_connection_lost("publish refused while disconnected");
    } else {
      pause_sending(options_.reconnect_min);
    }
    return false;
  }
  ready_.erase(ready_.begin(), ready_.begin() + static_cast<std::ptrdiff_t>(count));
  inflight_.emplace(id, InFlight{generation_, std::move(seqs), &topic, Clock::now(), {}});
  ++local_.published_messages;
  return true;
}

void PublisherImpl::on_publish(std::uint64_t message_id, const PublishResult& result) {
  const auto it = inflight_.find(message_id);
  // Not found: it belonged to a connection that was discarded; its rows are re-sent.
  if (it == inflight_.end() || it->second.generation != generation_) return;
  if (!it->second.replay_rows.empty() &&
      (result.ok || is_rejection(options_.protocol, result.reason_code))) {
    on_replay_publish(it, !is_rejection(options_.protocol, result.reason_code));
    return;
  }
  const int rc = result.rc;
  // Paho C may report an MQTT 5 PUBACK >= 0x80 as success or as failure: the code decides.
  if (is_rejection(options_.protocol, result.reason_code)) {
    spdlog::debug("uplink: PUBACK reason code {} reached us as Paho {} (rc {})", result.reason_code,
                  result.ok ? "success" : "failure", rc);
    on_rejected(message_id, result.reason_code);
    return;
  }
  if (result.ok) {
    std::vector<std::uint64_t> seqs = std::move(it->second.seqs);
    const std::chrono::duration<double> latency = Clock::now() - it->second.sent_at;
    inflight_.erase(it);
    local_.acked_rows += seqs.size();
    local_.publish_latency.observe(latency.count());
    local_.batch_records.observe(static_cast<double>(seqs.size()));
    ++local_.acked_messages;
    outbox_.ack(std::move(seqs), now_utc_ms());  // deleted only now, after the PUBACK
    if (rejection_ || too_large_) clear_alarms();
    if (stop_phase_ == StopPhase::draining && inflight_.empty()) {
      sync_state();
      advance_stop();
      return;
    }
    pump();
    return;
  }
  note_error("publish of rows " + seq_range(it->second.seqs) +
             " failed: " + mqtt::exception::error_str(rc) + " (rc " + std::to_string(rc) + ")");
  reset_cursor();  // re-send from the lowest un-acked row, keeping the order
  if (stop_phase_ != StopPhase::running) {
    advance_stop();
  } else if (connected_) {
    pause_sending(options_.reconnect_min);
  }
  sync_state();
}

void PublisherImpl::on_rejected(std::uint64_t message_id, int reason_code) {
  const auto it = inflight_.find(message_id);
  const std::string topic = *it->second.topic;
  const std::string rows = seq_range(it->second.seqs);
  ++local_.publish_rejected_total;
  const bool changed =
      !rejection_ || rejection_->reason_code != reason_code || rejection_->topic != topic;
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%02X", reason_code);
  const std::string what = "broker rejected the publish on " + topic + ": PUBACK reason code " +
                           hex + " (" + reason_text(reason_code) + ")";
  local_.last_error = what;
  if (changed) {
    rejection_ =
        StatusAlarm{"publish_rejected", reason_code, reason_text(reason_code), topic, now_utc_ms()};
    spdlog::error(
        "uplink: {} for rows {}; the rows stay in the outbox and are retried with "
        "backoff",
        what, rows);
  } else {
    spdlog::debug("uplink: {} for rows {} (still)", what, rows);
  }
  reset_cursor();  // nothing of this round is acked; re-send from the lowest un-acked row
  if (stop_phase_ != StopPhase::running) {
    advance_stop();
  } else if (connected_) {
    pause_sending(reject_backoff_.next());
    if (changed) publish_status(true, "");
  }
  sync_state();
}

void PublisherImpl::on_too_large(const buffer::StoredRecord& row, const std::string& topic,
                                 std::size_t packet_bytes) {
  const std::string what = "row " + std::to_string(row.seq) + " makes a " +
                           std::to_string(packet_bytes) +
                           " byte packet, above the broker's Maximum Packet Size of " +
                           std::to_string(max_packet_) + " bytes";
  local_.last_error = what;
  if (!too_large_ || too_large_->reason != what) {
    too_large_ = StatusAlarm{"message_too_large", 0, what, topic, now_utc_ms()};
    spdlog::error(
        "uplink: {}; it stays in the outbox, sending is held (raise the broker's "
        "max_packet_size; the limit is read again at the next connect)",
        what);
    publish_status(true, "");
  }
  pause_sending(options_.reconnect_max);  // no loop: retried after the pause
  sync_state();
}

void PublisherImpl::clear_alarms() {
  if (rejection_) {
    spdlog::warn(
        "uplink: broker accepts publishes again ({} refused so far); alarm "
        "publish_rejected cleared",
        local_.publish_rejected_total);
  }
  if (too_large_) spdlog::warn("uplink: alarm message_too_large cleared");
  rejection_.reset();
  too_large_.reset();
  reject_backoff_.reset();
  publish_status(true, "");
}

std::uint32_t PublisherImpl::current_window() const {
  // While the broker refuses, probe with one message at a time instead of a full window.
  return rejection_ || too_large_ ? 1 : window_;
}

std::uint64_t PublisherImpl::lowest_unacked() const {
  std::uint64_t lowest = ready_.empty() ? read_cursor_ : ready_.front().seq;
  for (const auto& [id, msg] : inflight_) {
    if (!msg.seqs.empty()) lowest = std::min(lowest, msg.seqs.front());
  }
  return lowest;
}

void PublisherImpl::reset_cursor() {
  read_cursor_ = lowest_unacked();
  requeue_replay_inflight();
  ready_.clear();
  inflight_.clear();
  ++generation_;
}

void PublisherImpl::pause_sending(std::chrono::milliseconds delay) {
  paused_ = true;
  pause_timer_.expires_after(delay);
  pause_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    paused_ = false;
    pump();
  });
}

void PublisherImpl::schedule_idle_poll() {
  if (poll_scheduled_) return;
  poll_scheduled_ = true;
  poll_timer_.expires_after(kIdlePoll);
  poll_timer_.async_wait([this](const boost::system::error_code& ec) {
    poll_scheduled_ = false;
    if (ec || !connected_ || paused_ || stop_phase_ != StopPhase::running) return;
    if (ready_.empty()) refill(current_window(), true);
    pump();
  });
}

void PublisherImpl::sync_state() {
  std::lock_guard lock(state_mu_);
  state_ = local_;
  state_.connected = connected_;
  state_.inflight = static_cast<std::uint32_t>(inflight_.size());
  state_.window = current_window();
  state_.max_packet_size = max_packet_;
  state_.alarms.clear();
  if (rejection_) state_.alarms.push_back(rejection_->kind);
  if (too_large_) state_.alarms.push_back(too_large_->kind);
  if (!subscribe_rejected_.empty()) state_.alarms.emplace_back("subscribe_rejected");
  state_.subscribed = connected_ && !granted_.empty() &&
                      std::all_of(granted_.begin(), granted_.end(), [](bool g) { return g; });
}

PublisherState PublisherImpl::state() const {
  std::lock_guard lock(state_mu_);
  return state_;
}

}  // namespace dockgate::uplink

// SPDX-License-Identifier: Apache-2.0
// Publisher subscriptions: one SUBSCRIBE per filter after every connect, SUBACK handling, the
// subscribe_rejected alarm and its retries. Received messages do not pass through here: the
// bridge hands them to the MessageFn on Paho's thread.
#include <mqtt/exception.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

#include "agent/clock.hpp"
#include "uplink/connect_setup.hpp"
#include "uplink/publisher_impl.hpp"

namespace dockgate::uplink {
namespace {

std::string hex_code(int code) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%02X", code);
  return hex;
}

}  // namespace

void PublisherImpl::reset_subscriptions() {
  granted_.assign(filters_.size(), false);
  pending_subs_.clear();  // answers to these SUBSCRIBEs are ignored from now on
  subscribe_timer_.cancel();
  subscribe_retry_armed_ = false;
  subscribe_backoff_.reset();
}

void PublisherImpl::subscribe_missing() {
  if (!connected_ || stop_phase_ != StopPhase::running) return;
  for (std::size_t i = 0; i < filters_.size(); ++i) {
    if (granted_[i]) continue;
    const bool awaiting = std::any_of(pending_subs_.begin(), pending_subs_.end(),
                                      [i](const auto& pending) { return pending.second == i; });
    if (awaiting) continue;
    const std::uint64_t id = next_subscribe_id_++;
    try {
      // Default options: Retain Handling 0 (the broker sends the retained messages at every
      // SUBSCRIBE), Retain As Published off, No Local off (MQTT 5.0 section 3.8.3.1); under
      // 3.1.1 only the QoS goes out (section 3.8.3).
      client_->subscribe(filters_[i], 1, PahoBridge::to_context(id), bridge_.subscribe_listener());
      pending_subs_.emplace(id, i);
    } catch (const mqtt::exception& e) {
      // Paho refused to queue it (e.g. the connection just went): try again later.
      note_error("subscribe to " + filters_[i] + " failed: " + e.what());
      schedule_subscribe_retry();
    }
  }
  sync_state();
}

void PublisherImpl::on_subscribe(std::uint64_t subscribe_id, const SubscribeResult& result) {
  const auto it = pending_subs_.find(subscribe_id);
  if (it == pending_subs_.end()) return;  // a SUBSCRIBE of a previous connection
  const std::size_t index = it->second;
  pending_subs_.erase(it);
  // While stopping nothing is retried and no online status goes out any more.
  if (!connected_ || stop_phase_ != StopPhase::running) return;
  const std::string& filter = filters_[index];
  // Decided by the SUBACK code, not by which Paho callback brought it (paho_bridge.cpp).
  if (result.suback >= 0x80) {
    on_subscribe_refused(filter, result.suback);
    return;
  }
  if (result.suback < 0) {
    // No SUBACK: the connection is going (its loss resets everything) or Paho failed it.
    note_error("subscribe to " + filter + ": no SUBACK (" + mqtt::exception::error_str(result.rc) +
               ", rc " + std::to_string(result.rc) + ")");
    schedule_subscribe_retry();
    sync_state();
    return;
  }
  granted_[index] = true;
  if (result.suback == 0) {
    spdlog::warn("uplink: broker granted {} at QoS 0 only (asked for 1): messages may be lost",
                 filter);
  }
  if (const auto alarm = subscribe_rejected_.find(filter); alarm != subscribe_rejected_.end()) {
    subscribe_rejected_.erase(alarm);
    spdlog::warn("uplink: broker granted the subscription to {} again{}", filter,
                 subscribe_rejected_.empty() ? "; alarm subscribe_rejected cleared" : "");
    publish_status(true, "");
  }
  if (std::all_of(granted_.begin(), granted_.end(), [](bool granted) { return granted; })) {
    subscribe_backoff_.reset();
    spdlog::info("uplink: subscribed to {} topic filter(s)", filters_.size());
  }
  sync_state();
}

void PublisherImpl::on_subscribe_refused(const std::string& filter, int suback) {
  // MQTT 5.0 section 3.9.3 reason codes (0x87 not authorized, 0x8F topic filter invalid,
  // 0x97 quota exceeded, 0x9E shared subscriptions not supported ...); MQTT 3.1.1 section
  // 3.9.3 knows only 0x80 "failure".
  const bool v5 = options_.protocol == MqttProtocol::v5;
  const std::string reason = v5 ? reason_text(suback) : std::string("failure");
  const std::string what = "broker refused the subscription to " + filter + ": SUBACK " +
                           (v5 ? "reason code " : "return code ") + hex_code(suback) + " (" +
                           reason + ")";
  local_.last_error = what;
  const auto it = subscribe_rejected_.find(filter);
  if (it == subscribe_rejected_.end() || it->second.reason_code != suback) {
    subscribe_rejected_[filter] =
        StatusAlarm{"subscribe_rejected", suback, reason, filter, now_utc_ms()};
    spdlog::error(
        "uplink: {}; nothing is received on it, publishing goes on; retried with backoff and "
        "at every reconnect",
        what);
    publish_status(true, "");
  } else {
    spdlog::debug("uplink: {} (still)", what);
  }
  schedule_subscribe_retry();
  sync_state();
}

void PublisherImpl::schedule_subscribe_retry() {
  if (subscribe_retry_armed_ || !connected_ || stop_phase_ != StopPhase::running) return;
  subscribe_retry_armed_ = true;
  // reconnect_min doubling to reconnect_max, jittered: an ACL fixed on the broker (mosquitto
  // dynamic security, no reconnect) is picked up without hammering the broker meanwhile.
  subscribe_timer_.expires_after(subscribe_backoff_.next());
  subscribe_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled by reset_subscriptions() / stop, which own the flag then
    subscribe_retry_armed_ = false;
    subscribe_missing();
  });
}

}  // namespace dockgate::uplink

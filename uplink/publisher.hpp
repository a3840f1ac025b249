// SPDX-License-Identifier: Apache-2.0
// The MQTT publisher: drains the outbox in seq order over QoS 1, deletes a row only after its
// PUBACK, reconnects with backoff + jitter and re-publishes every un-acked row after a
// reconnect. It knows rows and topics, nothing of scanners or EPCIS content: the caller
// supplies how a run of rows becomes one message (DocumentFn). On the same connection it can
// also subscribe to topic filters and hand what arrives to a callback (Subscriptions).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "buffer/outbox.hpp"
#include "uplink/histogram.hpp"
#include "uplink/mqtt_options.hpp"

namespace dockgate::uplink {

/// Invalid uplink settings (bad URI, unreadable password/TLS file, zero window ...).
class UplinkError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Full topic names, built by the agent from prefix/site/gateway.
struct Topics {
  std::string events;      ///< {prefix}/{site}/{gateway}/events
  std::string exceptions;  ///< {prefix}/{site}/{gateway}/exceptions
  std::string status;      ///< {prefix}/{site}/{gateway}/status (retained; will = offline)
  /// {prefix}/{site}/{gateway}/cmd: commands arrive on cmd/replay and cmd/status, replay
  /// answers go to cmd/replay/response. "" = no commands.
  std::string commands;
};

/// Builds the topics. Throws UplinkError when a level is empty or holds '/', '+', '#'
/// or NUL (MQTT 3.1.1 section 4.7: wildcards are not allowed in topic names).
Topics make_topics(const std::string& prefix, const std::string& site, const std::string& gateway);

/// Turns 1..N consecutive rows of one channel into one message payload. For events this
/// wraps them in an EPCIS document; for exceptions it is called with one row at a time.
using DocumentFn = std::function<std::string(std::span<const buffer::StoredRecord> rows)>;

/// Extra fields merged into the retained status JSON (devices, dedup counters ...).
/// Called on the publisher thread; must be thread-safe and quick.
using StatusExtraFn = std::function<std::string()>;  // a JSON object text, or ""

/// A message received on one of the uplink's subscriptions.
struct InboundMessage {
  std::string topic;
  std::string payload;  ///< bytes as received; empty = a retained message was cleared
  /// True when the broker sent it from its retained store because we (re)subscribed (after
  /// every connect); false for a live message, also for a live retained publish, including
  /// the empty one that clears (MQTT 3.1.1 and 5.0 section 3.3.1.3, Retain As Published off).
  bool retained = false;
};

/// Called on the MQTT client's thread for every received message, in arrival order. Must be
/// thread-safe, quick and must not throw (post elsewhere). That thread is Paho C's receive
/// thread, shared by every Paho client of the process: while the callback runs, no PUBACK is
/// processed. Never called once stop() was entered (a call already running is waited for), so
/// it must not call stop() itself.
using MessageFn = std::function<void(InboundMessage)>;

/// Topic filters to subscribe to, at QoS 1 each, after every successful (re)connect: a broker
/// restart or a new session loses subscriptions, and each SUBSCRIBE re-delivers the retained
/// messages (MQTT 5.0 section 3.8.3.1 Retain Handling 0, and 3.3.1.3; MQTT 3.1.1 section 3.8,
/// 3.3.1.3). One SUBSCRIBE packet per filter, so each SUBACK names exactly one filter.
struct Subscriptions {
  /// Topic filters, QoS 1 each (e.g. ".../plans/+"). Publisher::create throws UplinkError for
  /// an empty filter, NUL, invalid UTF-8, more than 65535 bytes, '#' not as the last level,
  /// '+' or '#' not alone in their level (MQTT 5.0 / 3.1.1 section 4.7.1), or a duplicate.
  std::vector<std::string> filters;
  MessageFn on_message;  ///< required when `filters` is not empty
};

/// Connection state as reported to the agent (for logs, sd_notify STATUS=).
struct PublisherState {
  bool connected = false;
  std::uint64_t connects = 0;            ///< successful connections since start()
  std::uint64_t published_messages = 0;  ///< row messages handed to Paho (re-sends included)
  std::uint64_t acked_rows = 0;          ///< rows whose PUBACK arrived (passed to Outbox::ack)
  std::uint64_t acked_messages = 0;      ///< row messages whose PUBACK arrived
  std::uint32_t inflight = 0;            ///< row messages awaiting PUBACK right now
  /// In-flight window in use: inflight_window, capped by the broker's Receive Maximum.
  std::uint32_t window = 0;
  std::uint32_t max_packet_size = 0;  ///< broker's Maximum Packet Size, bytes; 0 = none
  /// Row messages the broker refused with an MQTT 5 PUBACK reason code >= 0x80 (rows kept).
  std::uint64_t publish_rejected_total = 0;
  /// Active alarm kinds ("publish_rejected", "message_too_large", "subscribe_rejected": a
  /// SUBACK refused a filter; cleared once every refused filter was granted); empty = none.
  std::vector<std::string> alarms;
  /// Every filter of Subscriptions granted on the current connection (SUBACK with QoS 0..2);
  /// false while disconnected, before the SUBACKs arrived, and when there are no filters.
  bool subscribed = false;
  std::string last_error;  ///< most recent error ("" = none so far)
  /// Seconds from handing each accepted row message to the MQTT client to its PUBACK (re-sends
  /// after a reconnect count from their own hand-off). Row messages only, not the status.
  LatencyHistogram publish_latency{kLatencyBoundsSeconds};
  /// Rows per acknowledged row message.
  BatchHistogram batch_records{kBatchBoundsRecords};
};

class Publisher {
 public:
  /// Does not connect yet. `outbox` receives acks and must stay open until stop() returned;
  /// `db_path` is opened read-only to drain. Validates everything it can up front: throws
  /// UplinkError for bad options (URI scheme, limits, unreadable password/TLS files) and
  /// buffer::OutboxError when `db_path` is not an outbox. `make_document` runs on the
  /// publisher thread; if it throws, the rows stay un-sent and sending pauses (error logged).
  /// `subscriptions` (none by default): filters are checked here (UplinkError, see
  /// Subscriptions::filters); at run time a refused filter (MQTT 5 SUBACK reason code >= 0x80,
  /// e.g. 0x87 not authorized, section 3.9.3; MQTT 3.1.1 SUBACK 0x80, section 3.9.3) never
  /// stops publishing: it is logged, raises the "subscribe_rejected" alarm and is retried with
  /// the reconnect backoff and at every reconnect.
  static std::unique_ptr<Publisher> create(MqttOptions options, Topics topics, std::string version,
                                           buffer::Outbox& outbox, const std::string& db_path,
                                           DocumentFn make_document, StatusExtraFn status_extra,
                                           Subscriptions subscriptions = {});
  virtual ~Publisher() = default;

  /// Starts the publisher thread: connect (retrying with backoff), publish status online,
  /// subscribe, then drain the outbox from the lowest pending seq. Call once; throws
  /// std::logic_error when called again.
  virtual void start() = 0;

  /// Live hand-off from the outbox commit listener (any thread, never blocks). Rows the
  /// publisher cannot take from memory are fetched from the database later; nothing is lost
  /// by dropping. Do not call it once the publisher is destroyed: close the outbox (or clear
  /// the listener) first.
  virtual void notify_committed(const std::vector<buffer::StoredRecord>& rows) = 0;

  /// Stops publishing new rows, waits for in-flight PUBACKs, publishes the retained offline
  /// status, disconnects. Returns within `drain_timeout` (plus scheduling slack) even when
  /// the broker is gone; the last third (at most 2 s) is kept for the offline status and the
  /// DISCONNECT. Un-acked rows stay in the outbox. Idempotent; the publisher is finished.
  /// The MessageFn is not called any more from the moment stop() is entered.
  /// Call before Outbox::close(), and not from DocumentFn / StatusExtraFn / MessageFn.
  virtual void stop(std::chrono::milliseconds drain_timeout) = 0;

  /// Snapshot of the connection state. Thread-safe.
  [[nodiscard]] virtual PublisherState state() const = 0;
};

}  // namespace dockgate::uplink

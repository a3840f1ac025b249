// The MQTT publisher: drains the outbox in seq order over QoS 1, deletes a row only after its
// PUBACK, reconnects with backoff + jitter and re-publishes every un-acked row after a
// reconnect. It knows rows and topics, nothing of scanners or EPCIS content: the caller
// supplies how a run of rows becomes one message (DocumentFn).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "buffer/outbox.hpp"
#include "uplink/mqtt_options.hpp"

namespace dockgate::uplink {

/// Full topic names, built by the agent from prefix/site/gateway.
struct Topics {
  std::string events;      ///< {prefix}/{site}/{gateway}/events
  std::string exceptions;  ///< {prefix}/{site}/{gateway}/exceptions
  std::string status;      ///< {prefix}/{site}/{gateway}/status (retained; will = offline)
};

/// Turns 1..N consecutive rows of one channel into one message payload. For events this
/// wraps them in an EPCIS document; for exceptions it is called with one row at a time.
using DocumentFn = std::function<std::string(std::span<const buffer::StoredRecord> rows)>;

/// Extra fields merged into the retained status JSON (devices, dedup counters ...).
/// Called on the publisher thread; must be thread-safe and quick.
using StatusExtraFn = std::function<std::string()>;  // a JSON object text, or ""

/// Connection state as reported to the agent (for logs, sd_notify STATUS=).
struct PublisherState {
  bool connected = false;
  std::uint64_t published_messages = 0;
  std::uint64_t acked_rows = 0;
  std::uint32_t inflight = 0;
  std::string last_error;
};

class Publisher {
 public:
  /// Does not connect yet. `outbox` receives acks; `db_path` is opened read-only to drain.
  static std::unique_ptr<Publisher> create(MqttOptions options, Topics topics,
                                           std::string version, buffer::Outbox& outbox,
                                           std::string db_path, DocumentFn make_document,
                                           StatusExtraFn status_extra);
  virtual ~Publisher() = default;

  /// Starts the publisher thread: connect (retrying with backoff), publish status online,
  /// then drain the outbox from the lowest pending seq.
  virtual void start() = 0;

  /// Live hand-off from the outbox commit listener (any thread). Rows the publisher cannot
  /// take from memory are fetched from the database later; nothing is lost by dropping.
  virtual void notify_committed(const std::vector<buffer::StoredRecord>& rows) = 0;

  /// Stops publishing new rows, waits up to `drain_timeout` for in-flight PUBACKs, publishes
  /// the retained offline status, disconnects. Un-acked rows stay in the outbox.
  virtual void stop(std::chrono::milliseconds drain_timeout) = 0;

  [[nodiscard]] virtual PublisherState state() const = 0;
};

}  // namespace dockgate::uplink

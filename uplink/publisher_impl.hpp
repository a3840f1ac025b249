// SPDX-License-Identifier: Apache-2.0
// The Publisher implementation. Everything below `io_` runs on the publisher thread only,
// except the live queue (own mutex) and the state snapshot (own mutex).
//
// Cursor design: rows are sent in seq order. `ready_` holds the next rows to send (taken from
// the live hand-off queue or read from the database); `read_cursor_` is the next seq to look
// for, so ready_ covers [ready_.front().seq, read_cursor_). Every message
// handed to Paho is in `inflight_` (message id -> its seqs, connection generation) until its
// PUBACK, which acks the rows in the outbox. A lost connection or a failed publish discards
// the in-flight map (late callbacks for it are ignored), moves the cursor back to the lowest
// un-acked seq and re-sends from there in order: duplicates are possible, losses are not.
//
// Subscriptions: after every successful connect each filter gets its own SUBSCRIBE (async,
// the pump does not wait). `granted_` tracks the SUBACKs of the current connection,
// `pending_subs_` the SUBSCRIBEs awaiting one (forgotten on connection loss, so late answers
// are ignored). A refused filter keeps its alarm until a later SUBACK grants it.
#pragma once

#include <mqtt/async_client.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "uplink/backoff.hpp"
#include "uplink/batch_plan.hpp"
#include "uplink/broker_uri.hpp"
#include "uplink/paho_bridge.hpp"
#include "uplink/publisher.hpp"
#include "uplink/replay_request.hpp"
#include "uplink/status_payload.hpp"

namespace dockgate::uplink {

class PublisherImpl final : public Publisher {
 public:
  PublisherImpl(MqttOptions options, Topics topics, std::string version, buffer::Outbox& outbox,
                const std::string& db_path, DocumentFn make_document, StatusExtraFn status_extra,
                Subscriptions subscriptions);
  ~PublisherImpl() override;
  PublisherImpl(const PublisherImpl&) = delete;
  PublisherImpl& operator=(const PublisherImpl&) = delete;

  void start() override;
  void notify_committed(const std::vector<buffer::StoredRecord>& rows) override;
  void stop(std::chrono::milliseconds drain_timeout) override;
  [[nodiscard]] PublisherState state() const override;

 private:
  struct InFlight {
    std::uint64_t generation = 0;
    std::vector<std::uint64_t> seqs;
    const std::string* topic = nullptr;             // topics_.events or topics_.exceptions
    std::chrono::steady_clock::time_point sent_at;  // for PublisherState::publish_latency
    /// A replay message: its rows (seqs stays empty: nothing is acked in the outbox), kept
    /// to be sent again when the connection drops before the PUBACK.
    std::vector<buffer::StoredRecord> replay_rows;
  };
  /// The replay being worked on (publisher_replay.cpp).
  struct ReplayJob {
    ReplayOutcome outcome;       ///< request, counts, missing ranges: the answer
    std::uint64_t cursor = 0;    ///< next seq to read from the kept rows
    std::uint32_t inflight = 0;  ///< replay messages awaiting their PUBACK
  };
  enum class StopPhase { running, draining, offline_status, disconnecting, done };
  using Clock = std::chrono::steady_clock;

  // Connection lifecycle (publisher_connection.cpp).
  void connect_now();
  void schedule_reconnect();
  void on_connect(const ConnectResult& result);
  void on_connection_lost(const std::string& cause);
  void note_error(const std::string& message);
  /// Returns the status message id (0 when Paho refused the publish).
  std::uint64_t publish_status(bool online, const std::string& reason);
  void on_status(std::uint64_t status_id, bool ok);
  void schedule_status_refresh();
  void begin_stop(Clock::time_point deadline);
  /// SUBSCRIBE (QoS 1) every filter not yet granted nor awaiting its SUBACK on this connection.
  void subscribe_missing();
  void on_subscribe(std::uint64_t subscribe_id, const SubscribeResult& result);
  /// A SUBACK refused `filter`: alarm (logged as an error once per change), retry later.
  void on_subscribe_refused(const std::string& filter, int suback);
  /// Re-subscribes the filters still missing after the subscribe backoff (while connected).
  void schedule_subscribe_retry();
  /// Forgets this connection's subscriptions (connect, connection lost).
  void reset_subscriptions();
  void advance_stop();
  void finish_stop();

  // Cursor and in-flight window (publisher_pump.cpp).
  void pump();
  void refill(std::size_t want_rows, bool force_db);
  std::size_t take_live(std::size_t max_rows);
  bool publish_rows(std::size_t count);
  void on_publish(std::uint64_t message_id, const PublishResult& result);
  /// An MQTT 5 PUBACK >= 0x80: keep the rows, raise the alarm (logged once per change),
  /// back off, then probe again with one message at a time.
  void on_rejected(std::uint64_t message_id, int reason_code);
  /// A message whose single row exceeds the broker's Maximum Packet Size: alarm, hold.
  void on_too_large(const buffer::StoredRecord& row, const std::string& topic,
                    std::size_t packet_bytes);
  /// After an accepted PUBACK: clear the alarms, log, refresh the status.
  void clear_alarms();
  [[nodiscard]] std::uint32_t current_window() const;
  [[nodiscard]] std::uint64_t lowest_unacked() const;
  void reset_cursor();
  void pause_sending(std::chrono::milliseconds delay);

  // Commands and replay (publisher_replay.cpp).
  [[nodiscard]] bool is_command(const std::string& topic) const;
  /// A message on cmd/replay or cmd/status, on the publisher thread.
  void on_command(InboundMessage message);
  /// Starts the next queued replay when none runs: finds what is kept, pending and missing.
  void start_next_replay();
  /// Every 100 ms while a replay runs: refills the token bucket and the rows to send.
  void replay_tick();
  /// Publishes replay messages while the window, the token bucket and live rows allow.
  void pump_replay();
  bool publish_replay(std::size_t count);
  /// PUBACK (or refusal) of replay message `it`.
  void on_replay_publish(std::map<std::uint64_t, InFlight>::iterator it, bool accepted);
  /// Puts the rows of in-flight replay messages back in front of replay_ready_.
  void requeue_replay_inflight();
  void finish_replay_if_done();
  void publish_replay_response(const ReplayOutcome& outcome);
  void schedule_idle_poll();
  void sync_state();

  const MqttOptions options_;
  const Topics topics_;
  const std::string version_;
  buffer::Outbox& outbox_;
  std::unique_ptr<buffer::OutboxReader> reader_;
  const DocumentFn make_document_;
  const StatusExtraFn status_extra_;
  const BrokerUri uri_;
  const BatchLimits limits_;
  const std::vector<std::string> filters_;  // Subscriptions::filters

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  boost::asio::steady_timer reconnect_timer_;
  boost::asio::steady_timer status_timer_;
  boost::asio::steady_timer poll_timer_;
  boost::asio::steady_timer pause_timer_;
  boost::asio::steady_timer stop_timer_;
  boost::asio::steady_timer stop_final_timer_;
  boost::asio::steady_timer subscribe_timer_;
  PahoBridge bridge_;  // before client_: its listeners must outlive the client
  std::unique_ptr<mqtt::async_client> client_;
  std::thread thread_;
  bool started_ = false;
  bool stopped_ = false;
  std::mutex lifecycle_mu_;  // start()/stop()/destructor from the owner's threads

  // Publisher-thread state.
  Backoff backoff_;
  Backoff reject_backoff_;                // retries while the broker refuses publishes
  std::optional<StatusAlarm> rejection_;  // publish_rejected alarm
  std::optional<StatusAlarm> too_large_;  // message_too_large alarm
  Backoff subscribe_backoff_;             // retries of refused subscriptions while connected
  std::map<std::string, StatusAlarm> subscribe_rejected_;  // filter -> its alarm
  std::vector<bool> granted_;                              // per filter, this connection
  std::map<std::uint64_t, std::size_t> pending_subs_;      // subscribe id -> filter index
  std::uint64_t next_subscribe_id_ = 1;
  bool subscribe_retry_armed_ = false;
  std::uint32_t window_ = 1;      // inflight_window capped by the CONNACK Receive Maximum
  std::uint32_t max_packet_ = 0;  // CONNACK Maximum Packet Size, bytes; 0 = no limit
  bool connected_ = false;
  bool connecting_ = false;
  bool paused_ = false;
  bool poll_scheduled_ = false;
  std::uint64_t generation_ = 0;
  std::uint64_t read_cursor_ = 0;
  std::uint64_t last_committed_seq_ = 0;
  std::deque<buffer::StoredRecord> ready_;
  std::map<std::uint64_t, InFlight> inflight_;
  std::uint64_t next_message_id_ = 1;
  std::uint64_t next_status_id_ = 1;
  std::string last_logged_error_;
  std::uint64_t acked_at_last_status_ = 0;
  Clock::time_point last_status_at_{};
  StopPhase stop_phase_ = StopPhase::running;
  Clock::time_point drain_until_{};    // then publish the offline status ...
  Clock::time_point offline_until_{};  // ... wait for its PUBACK until here, then DISCONNECT
  Clock::time_point stop_deadline_{};
  std::uint64_t offline_status_id_ = 0;
  PublisherState local_;  // counters and last_error, copied to state_ by sync_state()

  // Replay state (publisher thread).
  std::deque<ReplayRequest> replay_queue_;
  std::optional<ReplayJob> replay_;
  std::deque<buffer::StoredRecord> replay_ready_;
  double replay_tokens_ = 0;  // records the rate allows right now
  Clock::time_point replay_refilled_{};
  boost::asio::steady_timer replay_timer_{io_};

  // Live hand-off queue (any thread -> publisher thread).
  mutable std::mutex live_mu_;
  std::deque<buffer::StoredRecord> live_;
  std::size_t live_bytes_ = 0;
  std::uint64_t live_last_seq_ = 0;
  bool live_accepting_ = false;  // only while connected
  bool kick_pending_ = false;

  // Snapshot for state().
  mutable std::mutex state_mu_;
  PublisherState state_;
};

}  // namespace dockgate::uplink

// SPDX-License-Identifier: Apache-2.0
// Commands from the central side: cmd/status publishes the status now; cmd/replay republishes
// a gatewaySeq range from the rows the outbox kept after delivery (table `delivered`), with
// their original payloads (eventID, dg:gatewaySeq), paced by a token bucket and behind live
// rows, then answers on cmd/replay/response. Replay rows are never acked in the outbox: they
// were delivered before. One replay runs at a time; a few more wait their turn.
#include <mqtt/exception.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "uplink/publisher_impl.hpp"

namespace dockgate::uplink {
namespace {

/// Requests waiting behind the running replay; more are answered "busy".
constexpr std::size_t kMaxQueuedReplays = 4;
constexpr std::chrono::milliseconds kReplayTick{100};
/// Rows read from the database per refill, at most.
constexpr std::size_t kReplayFetchRows = 1000;
constexpr std::size_t kReplayFetchBytes = std::size_t{4} * 1024 * 1024;

}  // namespace

bool PublisherImpl::is_command(const std::string& topic) const {
  if (!options_.commands || topics_.commands.empty()) return false;
  return topic == topics_.commands + "/replay" || topic == topics_.commands + "/status";
}

void PublisherImpl::on_command(InboundMessage message) {
  if (stop_phase_ != StopPhase::running) return;
  if (message.retained) {
    // A retained command would run again at every reconnect: commands are live only.
    spdlog::warn("uplink: ignored a retained message on {}: commands must not be retained",
                 message.topic);
    return;
  }
  if (message.topic == topics_.commands + "/status") {
    spdlog::info("uplink: status requested on {}", message.topic);
    publish_status(true, "");
    return;
  }
  ReplayOutcome answer;
  std::string error;
  std::optional<ReplayRequest> request =
      parse_replay_request(message.payload, answer.request_id, error);
  if (!request) {
    spdlog::warn("uplink: replay request refused: {}", error);
    answer.status = "rejected";
    answer.error = error;
    publish_replay_response(answer);
    return;
  }
  if (replay_queue_.size() >= kMaxQueuedReplays) {
    answer.status = "busy";
    answer.from_seq = request->from_seq;
    answer.to_seq = request->to_seq;
    answer.error = "a replay is running and " + std::to_string(replay_queue_.size()) +
                   " more are waiting; ask again later";
    spdlog::warn("uplink: replay {} refused: busy", answer.request_id);
    publish_replay_response(answer);
    return;
  }
  replay_queue_.push_back(std::move(*request));
  start_next_replay();
}

void PublisherImpl::start_next_replay() {
  if (replay_ || replay_queue_.empty() || stop_phase_ != StopPhase::running) return;
  ReplayRequest request = std::move(replay_queue_.front());
  replay_queue_.pop_front();
  ReplayJob job;
  job.outcome.request_id = request.request_id;
  job.outcome.from_seq = request.from_seq;
  job.outcome.to_seq = request.to_seq;
  job.cursor = request.from_seq;
  try {
    job.outcome.coverage = reader_->coverage(request.from_seq, request.to_seq, kMaxListedRanges);
  } catch (const std::exception& e) {
    job.outcome.status = "rejected";
    job.outcome.error = std::string("the buffer could not be read: ") + e.what();
    spdlog::error("uplink: replay {}: {}", job.outcome.request_id, job.outcome.error);
    publish_replay_response(job.outcome);
    start_next_replay();
    return;
  }
  job.outcome.pending = job.outcome.coverage.pending;
  spdlog::info(
      "uplink: replay {} of gatewaySeq {}..{}: {} kept record(s) to republish, {} still "
      "pending, {} no longer available",
      job.outcome.request_id, request.from_seq, request.to_seq, job.outcome.coverage.retained,
      job.outcome.pending, job.outcome.coverage.missing);
  replay_ = std::move(job);
  replay_tokens_ = 0;
  replay_refilled_ = Clock::now();
  replay_tick();
}

void PublisherImpl::replay_tick() {
  if (!replay_ || stop_phase_ != StopPhase::running) return;
  const auto now = Clock::now();
  const double rate = options_.replay_rate;
  const double elapsed = std::chrono::duration<double>(now - replay_refilled_).count();
  replay_refilled_ = now;
  // At most one second's worth in the bucket: a long outage does not turn into a burst.
  replay_tokens_ = std::min(rate, replay_tokens_ + rate * elapsed);
  // Read ahead what the bucket allows for about the next tick, from the kept rows.
  const auto per_tick = static_cast<std::size_t>(std::max(1.0, rate * 0.1));
  if (replay_ready_.size() < per_tick && replay_->cursor <= replay_->outcome.to_seq) {
    try {
      const std::size_t want = std::min<std::size_t>(kReplayFetchRows, per_tick + 1);
      auto rows = reader_->fetch_delivered(replay_->cursor, replay_->outcome.to_seq, want,
                                           kReplayFetchBytes);
      replay_->cursor = rows.empty() ? replay_->outcome.to_seq + 1 : rows.back().seq + 1;
      for (auto& r : rows) replay_ready_.push_back(std::move(r));
    } catch (const std::exception& e) {
      note_error(std::string("replay read failed: ") + e.what());  // retried next tick
    }
  }
  pump();
  finish_replay_if_done();
  if (replay_) {
    // expires_after cancels a wait still pending (e.g. of the replay before): one tick chain.
    replay_timer_.expires_after(kReplayTick);
    replay_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) replay_tick();
    });
  }
}

void PublisherImpl::pump_replay() {
  if (!replay_ || !connected_ || paused_ || stop_phase_ != StopPhase::running) return;
  if (!ready_.empty()) return;  // live rows first
  BatchLimits limits = limits_;
  if (max_packet_ != 0) {
    limits.max_bytes = std::min<std::uint32_t>(limits.max_bytes, max_packet_ / 2);
  }
  while (inflight_.size() < current_window() && !replay_ready_.empty() && replay_tokens_ >= 1.0) {
    const std::size_t n = plan_message(replay_ready_, true, limits);
    if (!publish_replay(n)) break;
    replay_tokens_ -= static_cast<double>(n);
  }
}

bool PublisherImpl::publish_replay(std::size_t count) {
  std::vector<buffer::StoredRecord> rows(
      std::make_move_iterator(replay_ready_.begin()),
      std::make_move_iterator(replay_ready_.begin() + static_cast<std::ptrdiff_t>(count)));
  replay_ready_.erase(replay_ready_.begin(),
                      replay_ready_.begin() + static_cast<std::ptrdiff_t>(count));
  const auto put_back = [&] {
    for (auto it = rows.rbegin(); it != rows.rend(); ++it) replay_ready_.push_front(std::move(*it));
  };
  std::string payload;
  try {
    payload = make_document_(std::span<const buffer::StoredRecord>(rows));
  } catch (const std::exception& e) {
    note_error("replay document failed: " + std::string(e.what()));
    replay_->outcome.failed += rows.size();  // it cannot be rendered now, nor later
    return true;
  }
  const std::string& topic =
      rows.front().channel == buffer::Channel::exception ? topics_.exceptions : topics_.events;
  const std::uint64_t id = next_message_id_++;
  try {
    client_->publish(mqtt::make_message(topic, payload, 1, false), PahoBridge::to_context(id),
                     bridge_.publish_listener());
  } catch (const mqtt::exception& e) {
    put_back();
    note_error(std::string("replay publish failed: ") + e.what());
    return false;
  }
  InFlight f{generation_, {}, &topic, Clock::now(), {}};
  f.replay_rows = std::move(rows);
  inflight_.emplace(id, std::move(f));
  ++replay_->inflight;
  ++local_.published_messages;
  return true;
}

void PublisherImpl::on_replay_publish(std::map<std::uint64_t, InFlight>::iterator it,
                                      bool accepted) {
  const std::size_t rows = it->second.replay_rows.size();
  inflight_.erase(it);
  if (replay_) {
    --replay_->inflight;
    (accepted ? replay_->outcome.republished : replay_->outcome.failed) += rows;
  }
  if (stop_phase_ == StopPhase::draining && inflight_.empty()) {
    sync_state();
    advance_stop();
    return;
  }
  finish_replay_if_done();
  pump();
}

void PublisherImpl::requeue_replay_inflight() {
  std::vector<buffer::StoredRecord> back;
  for (auto& [id, msg] : inflight_) {
    for (auto& r : msg.replay_rows) back.push_back(std::move(r));
  }
  if (back.empty()) return;
  for (auto& r : replay_ready_) back.push_back(std::move(r));
  std::sort(back.begin(), back.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
  replay_ready_.assign(std::make_move_iterator(back.begin()), std::make_move_iterator(back.end()));
  if (replay_) replay_->inflight = 0;
}

void PublisherImpl::finish_replay_if_done() {
  if (!replay_ || replay_->inflight > 0 || !replay_ready_.empty() ||
      replay_->cursor <= replay_->outcome.to_seq) {
    return;
  }
  ReplayOutcome outcome = std::move(replay_->outcome);
  replay_.reset();
  replay_timer_.cancel();
  outcome.status = "done";
  spdlog::info("uplink: replay {} done: {} republished, {} pending, {} unavailable, {} failed",
               outcome.request_id, outcome.republished, outcome.pending, outcome.coverage.missing,
               outcome.failed);
  publish_replay_response(outcome);
  start_next_replay();
}

void PublisherImpl::publish_replay_response(const ReplayOutcome& outcome) {
  if (!connected_) return;  // the consumer's timeout asks again
  try {
    // QoS 1, not retained, not tracked: an answer lost with the connection is asked again.
    client_->publish(mqtt::make_message(topics_.commands + "/replay/response",
                                        replay_response_json(outcome), 1, false));
  } catch (const mqtt::exception& e) {
    note_error(std::string("replay response failed: ") + e.what());
  }
}

}  // namespace dockgate::uplink

// SPDX-License-Identifier: Apache-2.0
// What the benchmark subscriber saw: per-scan receive times (matched by SSCC serial), every
// gatewaySeq (for the gap check), event and message counts. Written by the subscriber's
// reader thread only; every field is atomic (relaxed) or locked, so other threads may read
// at any time; events() is released after the per-event writes.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "bench/event_scan.hpp"

namespace dockgate::bench {

using Clock = std::chrono::steady_clock;

/// Result of the gatewaySeq check over 1..last_seq.
struct SeqCheck {
  std::uint64_t expected = 0;       ///< last_seq
  std::uint64_t missing = 0;        ///< seqs in 1..last_seq never received
  std::uint64_t first_missing = 0;  ///< 0 when none missing
  std::uint64_t duplicates = 0;     ///< receipts of a seq already received (re-sends)
  std::uint64_t out_of_range = 0;   ///< seqs above the tracked capacity or last_seq
};

class EventCollector {
 public:
  /// Receive times are kept for serials 0..serial_capacity-1, receipt flags for gatewaySeqs
  /// 1..seq_capacity. Topics are the agent's events and exceptions topics.
  EventCollector(std::size_t serial_capacity, std::size_t seq_capacity, std::string events_topic,
                 std::string exceptions_topic);

  /// ThinSubscriber handler: counts events and exception messages, stamps serials. Every
  /// 256th events document (and the first) is also checked with a real JSON parser.
  void on_message(std::string_view topic, std::string_view payload, Clock::time_point received);

  /// Events received on the events topic (acquire: the arrays below are complete for them).
  [[nodiscard]] std::uint64_t events() const { return events_.load(std::memory_order_acquire); }
  [[nodiscard]] std::uint64_t exception_messages() const { return exceptions_.load(); }
  [[nodiscard]] std::uint64_t event_messages() const { return event_messages_.load(); }
  [[nodiscard]] std::uint64_t max_events_per_message() const { return max_batch_.load(); }
  [[nodiscard]] std::uint64_t payload_bytes() const { return payload_bytes_.load(); }
  /// Polls every millisecond until events() >= n; false on timeout.
  bool wait_events(std::uint64_t n, std::chrono::milliseconds timeout) const;
  /// Receive time of the first / latest event (epoch when none yet).
  [[nodiscard]] Clock::time_point first_event_time() const;
  [[nodiscard]] Clock::time_point last_event_time() const;
  /// Receive time of the first receipt of `serial`; the epoch (time_since_epoch 0) when not
  /// received or out of range.
  [[nodiscard]] Clock::time_point received_at(std::uint64_t serial) const;
  /// Checks 1..last_seq; call once the events waited for arrived.
  [[nodiscard]] SeqCheck check_seqs(std::uint64_t last_seq) const;
  /// "" while every checked document was valid, else the first problem found.
  [[nodiscard]] std::string document_problem() const;
  [[nodiscard]] std::uint64_t documents_checked() const { return checked_.load(); }
  /// Events received per `bucket` from `origin` on (messages before `origin` are skipped):
  /// the shape of a drain (stalls show up as zeros).
  [[nodiscard]] std::vector<std::uint64_t> timeline(Clock::time_point origin,
                                                    Clock::duration bucket) const;

 private:
  void mark_seq(std::uint64_t seq);

  std::string events_topic_;
  std::string exceptions_topic_;
  std::vector<std::atomic<Clock::rep>> serial_time_;  // 0 = not received
  std::vector<std::atomic<std::uint8_t>> seq_count_;  // receipts per seq, saturating at 255
  std::atomic<std::uint64_t> out_of_range_{0};
  mutable std::mutex problem_mu_;
  std::string problem_;                // first invalid document found
  std::vector<ScannedEvent> scratch_;  // reader thread only
  mutable std::mutex arrivals_mu_;
  std::vector<std::pair<Clock::rep, std::uint32_t>> arrivals_;  // (time, events) per document
  std::atomic<std::uint64_t> events_{0};
  std::atomic<std::uint64_t> exceptions_{0};
  std::atomic<std::uint64_t> event_messages_{0};
  std::atomic<std::uint64_t> max_batch_{0};
  std::atomic<std::uint64_t> payload_bytes_{0};
  std::atomic<std::uint64_t> checked_{0};
  std::atomic<Clock::rep> first_time_{0};
  std::atomic<Clock::rep> last_time_{0};
};

}  // namespace dockgate::bench

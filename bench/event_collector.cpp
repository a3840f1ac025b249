// SPDX-License-Identifier: Apache-2.0
#include "bench/event_collector.hpp"

#include <thread>

namespace dockgate::bench {
namespace {

constexpr std::uint64_t kCheckEvery = 256;  // documents between two full JSON checks

void raise_to(std::atomic<std::uint64_t>& a, std::uint64_t v) {
  std::uint64_t cur = a.load(std::memory_order_relaxed);
  while (cur < v && !a.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
  }
}

}  // namespace

EventCollector::EventCollector(std::size_t serial_capacity, std::size_t seq_capacity,
                               std::string events_topic, std::string exceptions_topic)
    : events_topic_(std::move(events_topic)),
      exceptions_topic_(std::move(exceptions_topic)),
      serial_time_(serial_capacity),
      seq_count_(seq_capacity + 1) {}

void EventCollector::on_message(std::string_view topic, std::string_view payload,
                                Clock::time_point received) {
  const Clock::rep now = received.time_since_epoch().count();
  if (topic == exceptions_topic_) {
    if (const auto seq = exception_seq(payload)) mark_seq(*seq);
    exceptions_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (topic != events_topic_) return;
  const std::uint64_t index = event_messages_.fetch_add(1, std::memory_order_relaxed);
  payload_bytes_.fetch_add(payload.size(), std::memory_order_relaxed);
  if (index % kCheckEvery == 0) {
    std::string problem = check_document(payload);
    checked_.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock(problem_mu_);
    if (problem_.empty() && !problem.empty())
      problem_ = "document " + std::to_string(index) + ": " + problem;
  }
  scratch_.clear();
  scan_events(payload, scratch_);
  for (const auto& e : scratch_) {
    mark_seq(e.gateway_seq);
    if (e.serial < serial_time_.size()) {
      Clock::rep expected = 0;
      serial_time_[e.serial].compare_exchange_strong(expected, now, std::memory_order_relaxed);
    }
  }
  raise_to(max_batch_, scratch_.size());
  {
    std::lock_guard lock(arrivals_mu_);
    arrivals_.emplace_back(now, static_cast<std::uint32_t>(scratch_.size()));
  }
  if (!scratch_.empty()) {
    Clock::rep zero = 0;
    first_time_.compare_exchange_strong(zero, now, std::memory_order_relaxed);
    last_time_.store(now, std::memory_order_relaxed);
  }
  events_.fetch_add(scratch_.size(), std::memory_order_release);
}

void EventCollector::mark_seq(std::uint64_t seq) {
  if (seq == 0 || seq >= seq_count_.size()) {
    out_of_range_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const auto c = seq_count_[seq].load(std::memory_order_relaxed);
  if (c < 255) seq_count_[seq].store(static_cast<std::uint8_t>(c + 1), std::memory_order_relaxed);
}

bool EventCollector::wait_events(std::uint64_t n, std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  while (events() < n) {
    if (Clock::now() >= deadline) return events() >= n;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

Clock::time_point EventCollector::first_event_time() const {
  return Clock::time_point(Clock::duration(first_time_.load()));
}

Clock::time_point EventCollector::last_event_time() const {
  return Clock::time_point(Clock::duration(last_time_.load()));
}

Clock::time_point EventCollector::received_at(std::uint64_t serial) const {
  if (serial >= serial_time_.size()) return {};
  return Clock::time_point(Clock::duration(serial_time_[serial].load(std::memory_order_relaxed)));
}

SeqCheck EventCollector::check_seqs(std::uint64_t last_seq) const {
  SeqCheck r;
  r.expected = last_seq;
  r.out_of_range = out_of_range_.load();
  for (std::uint64_t s = 1; s < seq_count_.size(); ++s) {
    const auto c = seq_count_[s].load(std::memory_order_relaxed);
    if (s > last_seq) {
      r.out_of_range += c;
      continue;
    }
    if (c == 0) {
      ++r.missing;
      if (r.first_missing == 0) r.first_missing = s;
    } else {
      r.duplicates += c - 1U;
    }
  }
  if (last_seq >= seq_count_.size()) {
    r.missing += last_seq - (seq_count_.size() - 1);
    if (r.first_missing == 0) r.first_missing = seq_count_.size();
  }
  return r;
}

std::vector<std::uint64_t> EventCollector::timeline(Clock::time_point origin,
                                                    Clock::duration bucket) const {
  std::vector<std::uint64_t> out;
  const Clock::rep from = origin.time_since_epoch().count();
  std::lock_guard lock(arrivals_mu_);
  for (const auto& [at, n] : arrivals_) {
    if (at < from) continue;
    const auto index = static_cast<std::size_t>((at - from) / bucket.count());
    if (index >= out.size()) out.resize(index + 1, 0);
    out[index] += n;
  }
  return out;
}

std::string EventCollector::document_problem() const {
  std::lock_guard lock(problem_mu_);
  return problem_;
}

}  // namespace dockgate::bench

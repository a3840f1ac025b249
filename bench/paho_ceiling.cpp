// SPDX-License-Identifier: Apache-2.0
#include "bench/paho_ceiling.hpp"

#include <mqtt/async_client.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "bench/thin_subscriber.hpp"

namespace dockgate::bench {
namespace {

using Clock = std::chrono::steady_clock;

/// Counts PUBACKs; Paho calls it on its own thread, so it only updates counters and wakes
/// the publishing thread.
class AckCounter : public mqtt::iaction_listener {
 public:
  void on_success(const mqtt::token& /*tok*/) override { done(false); }
  void on_failure(const mqtt::token& /*tok*/) override { done(true); }

  /// Blocks until fewer than `limit` are outstanding; false after `timeout` without progress.
  bool wait_below(std::uint64_t limit, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return sent_ - completed_ < limit; });
  }
  void sent() {
    std::lock_guard lock(mu_);
    ++sent_;
  }
  [[nodiscard]] std::uint64_t failures() {
    std::lock_guard lock(mu_);
    return failed_;
  }

 private:
  void done(bool failed) {
    {
      std::lock_guard lock(mu_);
      ++completed_;
      if (failed) ++failed_;
    }
    cv_.notify_one();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::uint64_t sent_ = 0;
  std::uint64_t completed_ = 0;
  std::uint64_t failed_ = 0;
};

}  // namespace

std::vector<double> measure_paho_latency(const PahoLatencyOptions& o) {
  if (o.messages == 0 || !(o.rate > 0))
    throw std::runtime_error("latency: messages and rate must be > 0");
  // Each payload starts with its index (8 bytes), so receipts match sends exactly.
  std::vector<std::atomic<Clock::rep>> received(o.messages);
  ThinSubscriber subscriber(
      o.port, {o.topic},
      [&received](std::string_view, std::string_view payload, Clock::time_point at) {
        std::uint64_t index = 0;
        if (payload.size() < sizeof index) return;
        std::memcpy(&index, payload.data(), sizeof index);
        if (index < received.size()) received[index].store(at.time_since_epoch().count());
      });
  AckCounter acks;
  mqtt::async_client client(o.uri, "bench-latency-" + std::to_string(::getpid()));
  mqtt::connect_options connect;
  connect.set_mqtt_version(MQTTVERSION_3_1_1);
  connect.set_clean_session(true);
  try {
    client.connect(connect)->wait();
  } catch (const mqtt::exception& e) {
    throw std::runtime_error("latency: connect to " + o.uri + " failed: " + e.what());
  }
  std::string payload(std::max<std::size_t>(o.payload_bytes, 8), 'x');
  std::vector<Clock::time_point> sent(o.messages);
  const auto interval =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / o.rate));
  const auto start = Clock::now() + std::chrono::milliseconds(10);
  for (std::uint64_t i = 0; i < o.messages; ++i) {
    std::this_thread::sleep_until(start + interval * static_cast<Clock::rep>(i));
    std::memcpy(payload.data(), &i, sizeof i);
    acks.sent();
    sent[i] = Clock::now();
    client.publish(mqtt::make_message(o.topic, payload, 1, false), nullptr, acks);
  }
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline && received.back().load() == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  acks.wait_below(1, std::chrono::seconds(10));
  try {
    client.disconnect()->wait();
  } catch (const mqtt::exception&) {
    // Measured already.
  }
  std::vector<double> ms(o.messages, -1);
  for (std::uint64_t i = 0; i < o.messages; ++i) {
    const Clock::rep at = received[i].load();
    if (at != 0) {
      ms[i] = std::chrono::duration<double, std::milli>(Clock::time_point(Clock::duration(at)) -
                                                        sent[i])
                  .count();
    }
  }
  return ms;
}

CeilingResult measure_paho_ceiling(const CeilingOptions& o) {
  if (o.window == 0 || o.messages == 0) throw std::runtime_error("window and messages must be > 0");
  AckCounter acks;  // outlives the client, which holds it for pending tokens
  mqtt::async_client client(o.uri, "bench-ceiling-" + std::to_string(::getpid()));
  mqtt::connect_options connect;
  connect.set_mqtt_version(MQTTVERSION_3_1_1);  // first: it resets clean session
  connect.set_clean_session(true);
  connect.set_keep_alive_interval(30);
  try {
    client.connect(connect)->wait();
  } catch (const mqtt::exception& e) {
    throw std::runtime_error("ceiling: connect to " + o.uri + " failed: " + e.what());
  }
  const std::string payload(o.payload_bytes, 'x');
  const auto publish_n = [&](std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i) {
      if (!acks.wait_below(o.window, o.stall_timeout)) {
        throw std::runtime_error("ceiling: no PUBACK for " +
                                 std::to_string(o.stall_timeout.count()) + " ms");
      }
      acks.sent();
      client.publish(mqtt::make_message(o.topic, payload, 1, false), nullptr, acks);
    }
    if (!acks.wait_below(1, o.stall_timeout)) throw std::runtime_error("ceiling: PUBACKs stalled");
  };
  publish_n(o.warmup);
  const std::uint64_t failures_before = acks.failures();
  const auto t0 = Clock::now();
  publish_n(o.messages);
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  try {
    client.disconnect()->wait();
  } catch (const mqtt::exception&) {
    // The measurement is done; a failed DISCONNECT changes nothing in it.
  }
  CeilingResult r;
  r.failures = acks.failures() - failures_before;
  r.messages = o.messages - r.failures;
  r.seconds = seconds;
  r.messages_per_s = static_cast<double>(r.messages) / seconds;
  return r;
}

}  // namespace dockgate::bench

#include "bench/paho_ceiling.hpp"

#include <mqtt/async_client.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <stdexcept>

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

// SPDX-License-Identifier: Apache-2.0
// A capturing MQTT subscriber for tests: a `mosquitto_sub` child process (MQTT 3.1.1, QoS 1)
// whose output a background thread parses. Out of process on purpose: a second Paho client
// in the test process shares Paho's I/O thread with the code under test and delays its
// connects by up to 2 s (Paho C polls its sockets with a 1 s timeout).
// Sees retained messages (retained flag kept). While the broker is unreachable the thread
// restarts mosquitto_sub every 20 ms, so a capture may be created before the broker runs.
// After a broker restart mosquitto_sub reconnects by itself (within about 1 s) and
// resubscribes, which delivers the retained messages again; use a persistent session
// (clean_session = false, broker persistence on) to miss nothing across a stop()/start().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dockgate::test {

struct CapturedMessage {
  std::string topic;
  std::string payload;
  bool retained = false;  ///< delivered from the broker's retained store (at subscribe time)
  int qos = 0;
};

struct CaptureOptions {
  std::string client_id;  ///< "" = a unique generated id
  /// false: a persistent session (with a broker that has persistence on, QoS 1 messages
  /// published while the capture was away, even across a broker stop()/start(), arrive later).
  bool clean_session = true;
  std::string username;
  std::string password;
  std::chrono::milliseconds timeout{5'000};  ///< connect + subscribe
};

class MqttCapture {
 public:
  /// Starts mosquitto_sub for `uri` (tcp:// or mqtt://host:port) with every filter at QoS 1
  /// and returns once the SUBACK arrived, or at once when the first mosquitto_sub ends
  /// without connecting (broker down or refusing: it keeps retrying in the background, see
  /// wait_subscribed()). Throws std::runtime_error for another URI scheme, a missing
  /// mosquitto_sub, or when neither happens within options.timeout.
  MqttCapture(const std::string& uri, const std::vector<std::string>& filters,
              const CaptureOptions& options = {});
  /// Disconnects. Never throws.
  ~MqttCapture();
  MqttCapture(const MqttCapture&) = delete;
  MqttCapture& operator=(const MqttCapture&) = delete;

  /// Every message received so far, in arrival order.
  [[nodiscard]] std::vector<CapturedMessage> all() const;
  /// Messages of one exact topic, in arrival order.
  [[nodiscard]] std::vector<CapturedMessage> on(const std::string& topic) const;
  [[nodiscard]] std::size_t count(const std::string& topic) const;

  /// Waits until at least `n` messages arrived on `topic`; false on timeout.
  bool wait_for(const std::string& topic, std::size_t n, std::chrono::milliseconds timeout);
  /// Waits until `pred(all messages so far)` holds; false on timeout. `pred` runs under the
  /// capture's lock: keep it quick and do not call the capture from it.
  bool wait_until(const std::function<bool(const std::vector<CapturedMessage>&)>& pred,
                  std::chrono::milliseconds timeout);
  /// Waits for a message on `topic` matching `pred` (any message when `pred` is empty).
  /// True with the most recent match copied to `*out` (when given); false on timeout.
  bool wait_for_match(const std::string& topic,
                      const std::function<bool(const CapturedMessage&)>& pred,
                      std::chrono::milliseconds timeout, CapturedMessage* out = nullptr);
  /// Forgets what was received.
  void clear();
  /// Subscribed right now, as far as mosquitto_sub reported (false while it reconnects).
  [[nodiscard]] bool connected() const;
  /// Waits until connected and subscribed; false on timeout.
  bool wait_subscribed(std::chrono::milliseconds timeout);

 private:
  void run();       // the background thread: spawn, parse, respawn
  void shutdown();  // stops the thread and mosquitto_sub; never throws

  struct State;
  std::unique_ptr<State> state_;
  std::thread thread_;
};

}  // namespace dockgate::test

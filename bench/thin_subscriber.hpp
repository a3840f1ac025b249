// SPDX-License-Identifier: Apache-2.0
// A minimal MQTT 3.1.1 subscriber on a raw loopback socket, for benchmarks: one reader thread,
// no library, no copies of the payload, PUBACKs of one socket read sent in one write. It keeps
// the measuring side far cheaper than the agent and the broker, so the subscriber is not what
// limits a throughput figure (Paho C++ costs a thread hop and two copies per message).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace dockgate::bench {

class ThinSubscriber {
 public:
  /// Called on the reader thread for every PUBLISH, in arrival order. `received` is taken
  /// right after the socket read that completed the packet. The views die when it returns.
  using Handler = std::function<void(std::string_view topic, std::string_view payload,
                                     std::chrono::steady_clock::time_point received)>;

  /// Connects to 127.0.0.1:`port` (CONNECT with clean session, keepalive off: MQTT 3.1.1
  /// section 3.1), subscribes every filter at QoS 1 (section 3.8) and waits for CONNACK and
  /// SUBACK, then starts the reader thread, which answers each QoS 1 PUBLISH with a PUBACK
  /// (section 3.4). Throws std::runtime_error when the connect fails, the broker refuses
  /// (CONNACK return code, SUBACK 0x80) or nothing arrives within `timeout`.
  ThinSubscriber(std::uint16_t port, const std::vector<std::string>& filters, Handler handler,
                 std::chrono::milliseconds timeout = std::chrono::seconds(5));
  /// Shuts the socket down and joins the reader. Never throws.
  ~ThinSubscriber();
  ThinSubscriber(const ThinSubscriber&) = delete;
  ThinSubscriber& operator=(const ThinSubscriber&) = delete;

  /// PUBLISH packets received so far.
  [[nodiscard]] std::uint64_t messages() const { return messages_.load(); }
  /// False once the broker closed the connection or a protocol error ended the reader.
  [[nodiscard]] bool connected() const { return connected_.load(); }
  /// Why the reader ended ("" while connected).
  [[nodiscard]] std::string error() const;

 private:
  void handshake(std::chrono::milliseconds timeout);  // CONNACK + SUBACK, throws
  void read_loop();
  /// Dispatches every complete packet in buffer_, sends the PUBACKs owed. Throws on bad data.
  void process(std::chrono::steady_clock::time_point now, std::string& acks);
  void fail(std::string why);

  int fd_ = -1;
  Handler handler_;
  std::vector<char> buffer_;  // reader thread only (after the handshake)
  std::size_t have_ = 0;      // bytes of buffer_ in use
  std::atomic<bool> stopping_{false};
  std::thread reader_;
  std::atomic<std::uint64_t> messages_{0};
  std::atomic<bool> connected_{false};
  mutable std::mutex error_mu_;
  std::string error_;
};

}  // namespace dockgate::bench

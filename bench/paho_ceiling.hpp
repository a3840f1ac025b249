// SPDX-License-Identifier: Apache-2.0
// The raw Paho C++ QoS 1 publish rate: the ceiling for any agent that sends one message per
// event through Paho to the same broker.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dockgate::bench {

struct CeilingOptions {
  std::string uri;  ///< tcp://127.0.0.1:<port>
  std::string topic = "bench/ceiling";
  std::uint64_t messages = 100'000;                 ///< published after `warmup` messages
  std::uint64_t warmup = 2'000;                     ///< not timed
  std::size_t payload_bytes = 600;                  ///< per message
  std::uint32_t window = 64;                        ///< messages awaiting PUBACK at most
  std::chrono::milliseconds stall_timeout{10'000};  ///< no PUBACK for this long: give up
};

struct CeilingResult {
  std::uint64_t messages = 0;  ///< timed messages acknowledged
  double seconds = 0;          ///< first timed publish -> last PUBACK
  double messages_per_s = 0;
  std::uint64_t failures = 0;  ///< publishes whose token reported failure
};

/// Paced single publishes: the floor under the agent's read -> subscriber latency.
struct PahoLatencyOptions {
  std::string uri;  ///< tcp://127.0.0.1:<port>; a ThinSubscriber on `topic` is made inside
  std::uint16_t port = 0;
  std::string topic = "bench/latency";
  std::uint64_t messages = 5'000;
  double rate = 1'000;  ///< messages per second
  std::size_t payload_bytes = 1'000;
};

/// Publishes `messages` QoS 1 messages at `rate`, each stamped before publish(), and returns
/// publish() -> receipt at a thin QoS 1 subscriber on the same broker, ms, in send order
/// (-1 for a message that did not arrive within 10 s of the last send). Throws
/// std::runtime_error when messages or rate is 0 or the connect or subscribe fails.
std::vector<double> measure_paho_latency(const PahoLatencyOptions& options);

/// One mqtt::async_client (MQTT 3.1.1, clean session, no persistence) publishing QoS 1
/// messages of `payload_bytes` as fast as the window allows; completion is the delivery
/// token's on_success (PUBACK received). Throws std::runtime_error when the connect fails or
/// PUBACKs stop for `stall_timeout`.
CeilingResult measure_paho_ceiling(const CeilingOptions& options);

}  // namespace dockgate::bench

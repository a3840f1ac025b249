// SPDX-License-Identifier: Apache-2.0
// Forwards Paho callbacks (run on Paho's own threads) to the publisher's io_context. A
// callback only copies a few integers and posts: it never blocks and never touches publisher
// state (pitfalls.md: a blocking callback stalls the Paho client). Received messages are the
// exception: they go straight to the owner's MessageFn on Paho's thread, through a gate that
// close_messages() shuts.
#pragma once

#include <mqtt/async_client.h>

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "uplink/publisher.hpp"

namespace dockgate::uplink {

/// Outcome of a connect attempt, copied out of Paho's token.
struct ConnectResult {
  bool ok = false;
  int rc = 0;           ///< Paho return code (MQTT 3.1.1 CONNACK refusals are 1..5)
  int reason_code = 0;  ///< MQTT 5 CONNACK reason code (Paho's 255 = none, 3.1.1)
  /// CONNACK properties (MQTT 5.0 section 3.2.2.3); 0 = absent (no limit announced).
  std::uint32_t receive_maximum = 0;      ///< messages
  std::uint32_t maximum_packet_size = 0;  ///< bytes, whole packet
};

/// Outcome of a QoS 1 publish: `ok` from Paho, and the PUBACK reason code (MQTT 5.0 section
/// 3.4.2.1; 0 or 255 under 3.1.1). An MQTT 5 PUBACK >= 0x80 means "not delivered" whether Paho
/// reports it as success or failure.
struct PublishResult {
  bool ok = false;
  int rc = 0;
  int reason_code = 0;
};

/// Outcome of a SUBSCRIBE of one filter. `suback` is the SUBACK code for it: MQTT 5 reason
/// code (section 3.9.3: 0x00..0x02 granted QoS, >= 0x80 refused, e.g. 0x87 not authorized) or
/// MQTT 3.1.1 return code (section 3.9.3: 0..2 granted QoS, 0x80 failure); -1 when no SUBACK
/// arrived (`rc` then holds Paho's error, e.g. the connection was lost).
struct SubscribeResult {
  bool ok = false;
  int rc = 0;
  int suback = -1;
};

/// Handlers invoked on the io_context thread. Set once, before any Paho call.
struct BridgeHandlers {
  std::function<void(ConnectResult)> on_connect;
  std::function<void(std::string cause)> on_connection_lost;
  std::function<void(std::uint64_t message_id, PublishResult)> on_publish;
  std::function<void(std::uint64_t status_id, bool ok)> on_status;
  std::function<void(bool ok)> on_disconnect;
  std::function<void(std::uint64_t subscribe_id, SubscribeResult)> on_subscribe;
};

class PahoBridge {
 public:
  PahoBridge(boost::asio::io_context& io, BridgeHandlers handlers);
  ~PahoBridge();
  PahoBridge(const PahoBridge&) = delete;
  PahoBridge& operator=(const PahoBridge&) = delete;

  /// Installs the connection-lost handler on `client`, and the message handler when
  /// `on_message` is set: it runs on Paho's thread, converts and calls `on_message` directly
  /// (never concurrently with close_messages()). Call before the first connect.
  void attach(mqtt::async_client& client, MessageFn on_message);
  /// From now on received messages are dropped; waits for a running `on_message` call.
  void close_messages();
  /// After close(), callbacks (and messages) are dropped: call before the io_context goes away.
  void close();

  /// Listeners for Paho calls; the token's user context carries the message/status id
  /// (see to_context()). They outlive the client as long as the bridge does.
  mqtt::iaction_listener& connect_listener();
  mqtt::iaction_listener& publish_listener();
  mqtt::iaction_listener& status_listener();
  mqtt::iaction_listener& disconnect_listener();
  mqtt::iaction_listener& subscribe_listener();

  /// Ids travel through Paho's void* user context.
  static void* to_context(std::uint64_t id);
  static std::uint64_t from_context(void* ctx);

 private:
  struct Core;
  class Listener;
  std::shared_ptr<Core> core_;
  std::unique_ptr<Listener> connect_;
  std::unique_ptr<Listener> publish_;
  std::unique_ptr<Listener> status_;
  std::unique_ptr<Listener> disconnect_;
  std::unique_ptr<Listener> subscribe_;
};

}  // namespace dockgate::uplink

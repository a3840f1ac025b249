// SPDX-License-Identifier: Apache-2.0
// Settings of the MQTT uplink (config section `uplink.mqtt:`). Publisher::create validates
// them and throws UplinkError naming the key; the rules are listed per field and in
// uplink/README.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace dockgate::uplink {

/// MQTT protocol level spoken to the broker. v5 is the default: only MQTT 5 PUBACKs carry a
/// reason code, so only there can a broker say "not delivered" (e.g. 0x87 for an ACL deny,
/// MQTT 5.0 section 3.4.2.1). Under 3.1.1 a PUBACK proves nothing about delivery.
enum class MqttProtocol { v3_1_1, v5 };

struct MqttOptions {
  /// tcp://host:1883, mqtt://host:1883, ssl://host:8883 or mqtts://host:8883 (port optional,
  /// IPv6 in brackets). ssl/mqtts use TLS.
  std::string uri = "tcp://127.0.0.1:1883";
  /// MQTT 5 (default) or 3.1.1 (config `protocol: 5 | 3.1.1`).
  MqttProtocol protocol = MqttProtocol::v5;
  /// MQTT client identifier; empty = "dockgate-<site id>-<gateway id>".
  std::string client_id;
  /// First topic level: topics are {prefix}/{site}/{gateway}/events|exceptions|status.
  std::string topic_prefix = "dockgate";
  /// MQTT keepalive, 1 s .. 65535 s, sent in whole seconds (rounded up). The broker publishes
  /// the will after 1.5 x keepalive of silence.
  std::chrono::milliseconds keepalive{30'000};
  /// MQTT 5 Session Expiry Interval (section 3.1.2.11.2), whole seconds, 0 .. 4294967295 s.
  /// 0 (default) = clean start, the session ends with the connection: the outbox, not the
  /// broker session, holds un-acknowledged rows and they are re-sent after every reconnect.
  /// > 0 = a persistent session (clean start off; under 3.1.1 clean session off).
  std::chrono::seconds session_expiry{0};
  /// Time for TCP + TLS + CONNACK, >= 1 s, whole seconds (rounded up).
  std::chrono::milliseconds connect_timeout{10'000};
  std::string username;  ///< required when password_file is set
  /// File whose first line is the password (keeps secrets out of the config file). Read at
  /// create (missing/unreadable/empty = error) and again at every connect (rotation).
  std::string password_file;
  /// PEM CA bundle that signs the broker certificate (TLS); "" = the system trust store.
  std::string ca_file;
  std::string cert_file;  ///< PEM client certificate (mutual TLS), optional
  std::string key_file;   ///< PEM private key of cert_file; "" = the key is in cert_file
  /// Verify the broker's hostname against its certificate (TLS). Default on.
  bool verify_hostname = true;
  /// Row messages published but not yet PUBACKed, at most (1 .. 65000). Paho's own buffer is
  /// sized above it.
  std::uint32_t inflight_window = 64;
  /// Events per EPCIS document when draining a backlog (>= 1; 1 = never batch).
  std::uint32_t max_events_per_message = 500;
  /// Upper bound of the row payload bytes in one batched message (1 KiB .. 256 MiB); a single
  /// larger row still goes alone.
  std::uint32_t max_message_bytes = 32 * 1024;
  /// Reconnect backoff: first delay (>= 10 ms), doubling with jitter up to reconnect_max.
  std::chrono::milliseconds reconnect_min{500};
  std::chrono::milliseconds reconnect_max{30'000};
  /// How often the retained status message is refreshed (>= 100 ms).
  std::chrono::milliseconds status_interval{10'000};
  /// Subscribe to {prefix}/{site}/{gateway}/cmd/replay and cmd/status (QoS 1, after every
  /// connect) and act on them (uplink/README.md, "Commands").
  bool commands = true;
  /// Replay pace: records re-published per second at most (1 .. 100000), so a replay never
  /// crowds out live milestones or floods the broker.
  std::uint32_t replay_rate = 500;
};

}  // namespace dockgate::uplink

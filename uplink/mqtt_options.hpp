// Settings of the MQTT uplink (config section `uplink.mqtt:`).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace dockgate::uplink {

struct MqttOptions {
  /// tcp://host:1883, mqtt://host:1883, ssl://host:8883 or mqtts://host:8883.
  std::string uri = "tcp://127.0.0.1:1883";
  /// MQTT client identifier; empty = "dockgate-<gateway id>".
  std::string client_id;
  /// First topic level: topics are {prefix}/{site}/{gateway}/events|exceptions|status.
  std::string topic_prefix = "dockgate";
  std::chrono::milliseconds keepalive{30'000};
  std::chrono::milliseconds connect_timeout{10'000};
  std::string username;
  /// File whose first line is the password (keeps secrets out of the config file).
  std::string password_file;
  std::string ca_file;    ///< PEM CA bundle that signs the broker certificate (TLS)
  std::string cert_file;  ///< PEM client certificate (mutual TLS), optional
  std::string key_file;   ///< PEM private key of cert_file
  /// Verify the broker's hostname against its certificate (TLS). Default on.
  bool verify_hostname = true;
  /// Messages published but not yet PUBACKed, at most. Kept below Paho's own buffer (100).
  std::uint32_t inflight_window = 64;
  /// Events per EPCIS document when draining a backlog (1 = never batch).
  std::uint32_t max_events_per_message = 500;
  /// Upper bound of one message's payload when batching, bytes.
  std::uint32_t max_message_bytes = 256 * 1024;
  std::chrono::milliseconds reconnect_min{500};
  std::chrono::milliseconds reconnect_max{30'000};
  /// How often the retained status message is refreshed.
  std::chrono::milliseconds status_interval{10'000};
};

}  // namespace dockgate::uplink

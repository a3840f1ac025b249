// Turning MqttOptions into Paho options: validation, credentials, TLS, will message.
#pragma once

#include <mqtt/connect_options.h>
#include <mqtt/create_options.h>

#include <string>

#include "uplink/broker_uri.hpp"
#include "uplink/mqtt_options.hpp"

namespace dockgate::uplink {

struct Topics;

/// Checks ranges and files (see MqttOptions for each key's rule). Throws UplinkError whose
/// message names the key ("uplink.mqtt.<key>") and the problem.
void validate_options(const MqttOptions& options, const BrokerUri& uri, const Topics& topics);

/// First line of `path` without its line ending (\n or \r\n). Throws UplinkError when the
/// file is missing, unreadable or empty.
std::string read_password_file(const std::string& path);

/// options.client_id, or "dockgate-<site>-<gateway>" taken from the status topic levels
/// between the prefix and "status".
std::string effective_client_id(const MqttOptions& options, const Topics& topics);

/// Paho client creation: no persistence (the outbox is the source of truth), MQTT 3.1.1,
/// no sending while disconnected, a buffer a little above the in-flight window.
mqtt::create_options make_create_options(const MqttOptions& options);

/// MQTT 3.1.1 connect options: clean session, our own reconnect (Paho's automatic reconnect
/// off), keepalive and connect timeout rounded up to whole seconds, the retained will
/// `will_payload` on `will_topic` (QoS 1), username + password (password file read now, so a
/// rotated secret is picked up on the next connect), TLS for ssl:// / mqtts://.
/// Throws UplinkError when the password file cannot be read.
mqtt::connect_options make_connect_options(const MqttOptions& options, const BrokerUri& uri,
                                           const std::string& will_topic,
                                           const std::string& will_payload);

/// Readable text for a failed connect token's return code: CONNACK refusals (MQTT 3.1.1
/// section 3.2.2.3, codes 1..5) by name, Paho's negative codes by Paho's text, with a TLS
/// hint for ssl:// URIs.
std::string describe_connect_failure(int rc, const BrokerUri& uri);

}  // namespace dockgate::uplink

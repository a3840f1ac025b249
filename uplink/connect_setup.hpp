// SPDX-License-Identifier: Apache-2.0
// Turning MqttOptions into Paho options: validation, credentials, TLS, will message.
#pragma once

#include <mqtt/connect_options.h>
#include <mqtt/create_options.h>

#include <string>

#include "uplink/broker_uri.hpp"
#include "uplink/mqtt_options.hpp"

namespace dockgate::uplink {

struct Topics;
struct Subscriptions;

/// Checks ranges and files (see MqttOptions for each key's rule). Throws UplinkError whose
/// message names the key ("uplink.mqtt.<key>") and the problem.
void validate_options(const MqttOptions& options, const BrokerUri& uri, const Topics& topics);

/// Checks every topic filter (MQTT 5.0 and 3.1.1 section 4.7.1 wildcards, section 1.5.4 /
/// 1.5.3 UTF-8 strings of at most 65535 bytes without NUL), no duplicates, and that a
/// callback is given when there are filters. Throws UplinkError naming the filter.
void validate_subscriptions(const Subscriptions& subscriptions);

/// First line of `path` without its line ending (\n or \r\n). Throws UplinkError when the
/// file is missing, unreadable or empty.
std::string read_password_file(const std::string& path);

/// options.client_id, or "dockgate-<site>-<gateway>" taken from the status topic levels
/// between the prefix and "status".
std::string effective_client_id(const MqttOptions& options, const Topics& topics);

/// Paho's MQTTVERSION_5 or MQTTVERSION_3_1_1.
int paho_version(MqttProtocol protocol);

/// True when `reason_code` (from a PUBACK or CONNACK) says "failed" under `protocol`:
/// MQTT 5 reason codes >= 0x80 (MQTT 5.0 section 2.4). Always false under 3.1.1, whose
/// PUBACK has no reason code.
bool is_rejection(MqttProtocol protocol, int reason_code);

/// Lower-case text of an MQTT 5 reason code ("not authorized" for 0x87), from Paho C.
std::string reason_text(int reason_code);

/// Paho client creation: no persistence (the outbox is the source of truth), the protocol,
/// no sending while disconnected, a buffer a little above the in-flight window.
mqtt::create_options make_create_options(const MqttOptions& options);

/// Connect options: the protocol version; clean start / clean session unless session_expiry
/// > 0 (then MQTT 5 sends it as the Session Expiry Interval property); our own reconnect (Paho's
/// automatic reconnect off), keepalive and connect timeout rounded up to whole seconds, the
/// retained will `will_payload` on `will_topic` (QoS 1), username + password (password file read
/// now, so a rotated secret is picked up on the next connect), TLS for ssl:// / mqtts://. Throws
/// UplinkError when the password file cannot be read.
mqtt::connect_options make_connect_options(const MqttOptions& options, const BrokerUri& uri,
                                           const std::string& will_topic,
                                           const std::string& will_payload);

/// Readable text for a failed connect: MQTT 5 CONNACK refusals (`reason_code` >= 0x80,
/// section 3.2.2.2) and MQTT 3.1.1 ones (`rc` 1..5, section 3.2.2.3) by name, Paho's negative
/// codes by `message` when given (the named TLS failure, see tls_check.hpp), else by Paho's
/// text with a TLS hint for ssl:// URIs.
std::string describe_connect_failure(int rc, int reason_code, const std::string& message,
                                     const BrokerUri& uri);

}  // namespace dockgate::uplink

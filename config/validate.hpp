// SPDX-License-Identifier: Apache-2.0
// Value checks for the agent config that go beyond a key's YAML type. Each returns "" when
// the value is acceptable, else one sentence saying what is wrong (without the key path:
// MapReader adds file, line, column and key). Pure functions except check_readable_file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dockgate::config {

/// An id that becomes one MQTT topic level (site.id, gateway.id) or names a location or a
/// driver: 1..64 characters of [A-Za-z0-9_-]. MQTT 3.1.1 section 4.7 gives '/', '+', '#'
/// special meaning, so they (and anything else) are refused.
std::string check_topic_id(std::string_view id);

/// uplink.mqtt.topic_prefix: one or more levels separated by '/', each 1+ characters, no
/// '+' or '#' (wildcards, MQTT 3.1.1 section 4.7.1), no control characters, no leading '$'
/// (broker-reserved, section 4.7.2), no leading or trailing '/'; at most 128 characters.
std::string check_topic_prefix(std::string_view prefix);

/// A GS1 Global Location Number: exactly 13 digits with a valid mod-10 check digit
/// (GS1 General Specifications 7.9.1). The message names the expected check digit.
std::string check_gln(std::string_view gln);

/// site.time_zone_offset: "local" or an EPCIS 2.0 eventTimeZoneOffset, "+hh:mm" / "-hh:mm"
/// from -14:00 to +14:00 (the EPCIS 2.0 JSON schema pattern
/// ^[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00)$).
std::string check_time_zone_offset(std::string_view offset);

/// GLN extension component, GS1 AI (254): 1..20 characters of GS1 AI encodable character
/// set 82 (GS1 General Specifications 7.11, figure 7.11-1).
std::string check_gln_extension(std::string_view extension);

/// The parts of an MQTT broker URI as Paho takes it: scheme://host:port.
struct MqttUri {
  std::string scheme;  ///< tcp | mqtt | ssl | mqtts
  std::string host;    ///< name, IPv4 address, or IPv6 address without brackets
  std::uint16_t port = 0;
  bool tls = false;  ///< true for ssl and mqtts
};

/// Parses and checks "tcp://host:1883" (also mqtt, ssl, mqtts; IPv6 as "[::1]"). Without a
/// port, 1883 (tcp, mqtt) or 8883 (ssl, mqtts) is used, as the uplink does; a given port must
/// be 1..65535. User info ("user:pw@") and paths are refused: credentials belong in
/// username / password_file. On failure returns nullopt and sets `error`.
std::optional<MqttUri> parse_mqtt_uri(std::string_view uri, std::string& error);

/// patterns[].uri: an absolute URI (RFC 3986 section 3: scheme ":" ...) made of URI
/// characters, where "{0}".."{9}" are placeholders for the whole match and capture groups.
/// A placeholder above `capture_groups`, or a '{' / '}' outside one, is an error.
std::string check_uri_template(std::string_view uri, unsigned capture_groups);

/// Compiles `regex` as std::regex ECMAScript and returns its number of capture groups; on a
/// compile error returns nullopt and sets `error` to "does not compile: <libstdc++ reason>".
/// Patterns over 1000 characters are refused unread: libstdc++ compiles recursively.
std::optional<unsigned> regex_capture_groups(const std::string& regex, std::string& error);

/// "" when `path` names an existing regular file (symlinks followed) that this process can
/// open for reading; otherwise a message such as "file '/x' does not exist". Opens with
/// O_NONBLOCK so a FIFO cannot hang the check; reads nothing.
std::string check_readable_file(const std::string& path);

}  // namespace dockgate::config
